/** Thumb icons as inline SVG (emoji fonts are often missing on servers and in headless browsers). */
export function Thumb({ down = false, size = 15 }: { down?: boolean; size?: number }) {
  return (
    <svg
      className="thumb-icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      style={down ? { transform: "rotate(180deg)" } : undefined}
    >
      <path
        fill="currentColor"
        d="M2 10h4v11H2zM8 21V10l4.6-6.6c.5-.7 1.6-.7 2.1.1.3.4.4.9.3 1.4L14 10h5.6c1.3 0 2.3 1.2 2 2.5l-1.6 7c-.2.9-1 1.5-2 1.5z"
      />
    </svg>
  );
}

/** `👍 n · 👎 m` without emoji. */
export function FeedbackCounts({ success, failure }: { success: number; failure: number }) {
  return (
    <span className="feedback-counts">
      <span className="good" title="success">
        <Thumb /> {success}
      </span>
      <span className="bad" title="failure">
        <Thumb down /> {failure}
      </span>
    </span>
  );
}
