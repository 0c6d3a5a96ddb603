// What a windowed or banded panel needs of its scroll box (the panel body): to hear when it
// scrolls or changes size.

/** Call `read` now and whenever `body` scrolls or is resized; returns the function that stops it. */
export function followPanelBody(body: HTMLElement, read: () => void): () => void {
  read();
  body.addEventListener('scroll', read, { passive: true });
  const ro = new ResizeObserver(read);
  ro.observe(body);
  return () => {
    body.removeEventListener('scroll', read);
    ro.disconnect();
  };
}
