// Many links as plain <a href> that still navigate inside the app. A <Link> resolves its
// path against the route tree when it renders, which for a list's 25 rows, or the main
// navigation on every page, was a tenth of the page's server time
// (docs/decisions/030-per-request-cost.md); a LinkArea handles the clicks of all the links
// inside it with one listener instead. Without JavaScript they are ordinary links.
import { useNavigate } from "@remix-run/react";
import type { HTMLAttributes, MouseEvent } from "react";
import { inAppPath } from "~/utils/link-clicks";

export function LinkArea({ as: Tag = "div", onClick, ...props }: HTMLAttributes<HTMLElement> & { as?: "div" | "nav" }) {
  const navigate = useNavigate();
  const follow = (e: MouseEvent<HTMLElement>) => {
    onClick?.(e);
    const a = (e.target as Element).closest?.("a[href]");
    if (!(a instanceof HTMLAnchorElement) || !e.currentTarget.contains(a)) return;
    const path = inAppPath(
      e,
      { href: a.href, target: a.target, download: a.hasAttribute("download"), reloadDocument: a.hasAttribute("data-reload-document") },
      window.location.origin,
    );
    if (path === null) return;
    e.preventDefault();
    navigate(path);
  };
  // The links inside are what is interactive; this element only forwards their clicks.
  return <Tag {...props} onClick={follow} />;
}
