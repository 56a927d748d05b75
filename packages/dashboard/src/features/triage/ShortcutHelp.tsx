/** The `?` dialog: every keyboard shortcut of the lists. */
import { useEffect, useRef } from "react";

const KEYS: Array<[string, string]> = [
  ["j / k", "next / previous task"],
  ["o or Enter", "open the selected task"],
  ["p", "show or hide the peek panel"],
  ["1", "flag success (again: remove the flag)"],
  ["2", "flag failure (again: remove the flag)"],
  ["?", "show or hide this help"],
  ["Esc", "close the panel or this help"],
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="card shortcut-help" aria-labelledby="shortcut-title" onClose={onClose}>
      <h2 id="shortcut-title">Keyboard shortcuts</h2>
      <dl>
        {KEYS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
