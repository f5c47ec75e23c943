// A long list's links as plain <a href> that still navigate inside the app. A <Link> resolves
// its path against the route tree when it renders, which for the 25 rows of a list was a
// tenth of the page's server time (docs/decisions/030-per-request-cost.md); a LinkArea
// handles the clicks of all the links inside it with one listener instead. Without
// JavaScript they are ordinary links.
import { useNavigate } from "@remix-run/react";
import type { HTMLAttributes, MouseEvent } from "react";
import { inAppPath } from "~/utils/link-clicks";

export function LinkArea({ onClick, ...props }: HTMLAttributes<HTMLDivElement>) {
  const navigate = useNavigate();
  const follow = (e: MouseEvent<HTMLDivElement>) => {
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
  // The links inside are what is interactive; this only forwards their clicks.
  return <div {...props} onClick={follow} />;
}
