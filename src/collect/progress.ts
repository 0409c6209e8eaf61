// Progress of a live collection on standard error: one line rewritten in place on a terminal,
// plain log lines with --verbose, and nothing at all otherwise (CI logs stay clean). Collectors
// report per scope ("github acme-corp: repositories 300/5000"); the line shows every scope in flight.

export interface Progress {
  /** The current state of one scope, e.g. key "github acme-corp", text "deploy keys 40/120". */
  update(key: string, text: string): void;
  /** A scope finished: drop it from the line. */
  end(key: string): void;
  /** Clears the line before the final summary is printed. */
  close(): void;
}

export const silentProgress: Progress = { update() {}, end() {}, close() {} };

interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A terminal line when `stream` is a terminal; log lines when `verbose`; otherwise silent. */
export function progressOn(stream: ProgressTarget, opts: { verbose?: boolean; quiet?: boolean } = {}): Progress {
  if (opts.quiet) return silentProgress;
  if (stream.isTTY && !opts.verbose) return terminalLine(stream);
  if (opts.verbose) {
    // Verbose logs keep every change but not every tick: at most one line a second per scope.
    const last = new Map<string, number>();
    return {
      update(key, text) {
        const now = Date.now();
        if (now - (last.get(key) ?? 0) < 1000) return;
        last.set(key, now);
        stream.write(`${key}: ${text}\n`);
      },
      end(key) {
        last.delete(key);
      },
      close() {},
    };
  }
  return silentProgress;
}

function terminalLine(stream: ProgressTarget): Progress {
  const states = new Map<string, string>();
  let shown = false;
  let lastDraw = 0;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    // A terminal that reports no size (0 columns, as under `script`) gets a conventional 80.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const line = [...states].map(([k, t]) => `${k}: ${t}`).join(' · ');
    const text = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    stream.write(`\r\x1b[K${text}`);
    shown = text.length > 0;
  };
  return {
    update(key, text) {
      states.set(key, text);
      draw();
    },
    end(key) {
      states.delete(key);
      draw(true);
    },
    close() {
      states.clear();
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
