import { Fragment } from 'preact';

/**
 * "A, B, C" with each item in its own <bdi>: a right-to-left behaviour or name cannot pull the
 * commas, or its neighbour, into its own direction (src/web/lib/bidi.ts).
 */
export function BidiList({ items, separator = ', ' }: { items: readonly string[]; separator?: string }) {
  return (
    <>
      {items.map((item, i) => (
        <Fragment key={i}>
          {i > 0 && separator}
          <bdi>{item}</bdi>
        </Fragment>
      ))}
    </>
  );
}
