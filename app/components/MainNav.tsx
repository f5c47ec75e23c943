// The main navigation as plain links under one LinkArea (a NavLink per item cost the page
// more than its list's rows did, docs/decisions/030-per-request-cost.md). It does what the
// NavLinks did: marks the current section (class "active", aria-current="page") and, when a
// pointer rests on an item or focus reaches it, prefetches that page's modules and data.
import { PrefetchPageLinks, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type SyntheticEvent } from "react";
import { LinkArea } from "./LinkArea";
import { isCurrentSection, type NavItem } from "./nav";

/** How long a pointer or focus rests on an item before its page is prefetched (Remix's own delay). */
const INTENT_MS = 100;

export function MainNav({ items }: { items: NavItem[] }) {
  const { pathname } = useLocation();
  const [intent, setIntent] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const rest = (e: SyntheticEvent) => {
    clearTimeout(timer.current);
    const href = (e.target as Element).closest?.("a[href]")?.getAttribute("href");
    if (href) timer.current = setTimeout(() => setIntent(href), INTENT_MS);
  };
  const leave = () => {
    clearTimeout(timer.current);
    setIntent(null);
  };

  return (
    <LinkArea as="nav" aria-label="主导航" className="mainnav" onMouseOver={rest} onFocus={rest} onMouseOut={leave} onBlur={leave}>
      {items.map((item) => {
        const current = isCurrentSection(item.to, pathname);
        return (
          <a key={item.to} href={item.to} className={current ? "active" : undefined} aria-current={current ? "page" : undefined}>
            {item.label}
          </a>
        );
      })}
      {intent ? <PrefetchPageLinks page={intent} /> : null}
    </LinkArea>
  );
}
