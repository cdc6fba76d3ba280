/**
 * The body of an article: HTML the core has already sanitised (and in which it marked the search's matches),
 * inserted as is. Afterwards, in the DOM: remote images get their `src` only once the reader allowed them, and
 * every link click is caught: http(s) goes to the system browser through the host, anything else does nothing.
 * The app itself never navigates.
 */
import { useLayoutEffect, useRef, type MouseEvent, type RefObject } from 'react';
import { isHttpUrl } from '../lib/external-link';
import { useApp } from '../store/store-context';

export interface ArticleBodyProps {
  html: string;
  remoteAllowed: boolean;
  onOpenExternal(url: string): void;
  /** Receives the body's element (find in article works on it). */
  bodyRef?: RefObject<HTMLDivElement | null>;
}

/** Gives remote elements their address back, for web addresses only. */
export function loadRemoteContent(root: HTMLElement): number {
  let loaded = 0;
  for (const el of root.querySelectorAll<HTMLElement>('[data-remote-src]')) {
    const url = el.getAttribute('data-remote-src');
    if (isHttpUrl(url)) {
      el.setAttribute('src', url);
      loaded += 1;
    }
  }
  return loaded;
}

export function ArticleBody({ html, remoteAllowed, onOpenExternal, bodyRef }: ArticleBodyProps) {
  const own = useRef<HTMLDivElement>(null);
  const ref = bodyRef ?? own;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.innerHTML = html;
    if (remoteAllowed) loadRemoteContent(el);
  }, [html, remoteAllowed, ref]);

  const followLink = useApp((s) => s.followLink);

  function onClick(event: MouseEvent<HTMLDivElement>): void {
    const link = (event.target as Element).closest?.('a, area');
    if (!link || !event.currentTarget.contains(link)) return;
    event.preventDefault();
    // The attribute as written: a relative link would otherwise resolve against the app's own address.
    const href = link.getAttribute('href');
    // Where it leads is the archive's to say (a post, a category page, the site's own URL, or the web).
    if (href) void followLink(href, onOpenExternal);
  }

  return (
    <div
      ref={ref}
      className="article-body"
      onClick={onClick}
      onAuxClick={(event) => {
        if ((event.target as Element).closest?.('a, area')) event.preventDefault();
      }}
    />
  );
}
