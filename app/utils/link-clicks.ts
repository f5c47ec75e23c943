// Which clicks on a plain <a href> the app handles itself, as Remix's <Link> would: a left
// click without modifier keys on a link to this origin that opens in the same window and is
// not a download. Anything else (a new tab, a download, another site) is the browser's.

export type Click = { button: number; metaKey: boolean; altKey: boolean; ctrlKey: boolean; shiftKey: boolean; defaultPrevented: boolean };
export type PlainLink = { href: string; target: string; download: boolean; reloadDocument: boolean };

/** The path (with query and hash) to navigate to in the app, or null to leave the click alone. */
export function inAppPath(click: Click, link: PlainLink, origin: string): string | null {
  if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.altKey || click.ctrlKey || click.shiftKey) return null;
  if ((link.target && link.target !== "_self") || link.download || link.reloadDocument) return null;
  let url: URL;
  try {
    url = new URL(link.href, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin || (url.protocol !== "http:" && url.protocol !== "https:")) return null;
  return url.pathname + url.search + url.hash;
}
