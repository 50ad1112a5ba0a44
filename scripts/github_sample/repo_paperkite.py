"""paperkite/paperkite-ui: an accessible React component library in TypeScript."""

import json

from spec import Comment, Edit, FileChange, IssueComment, IssueSpec, PullSpec, RepoSpec

BUTTON = "src/components/Button.tsx"
MODAL = "src/components/Modal.tsx"
TABLE = "src/components/Table.tsx"
FOCUS_TRAP = "src/hooks/useFocusTrap.ts"
DEBOUNCE = "src/hooks/useDebouncedValue.ts"
DEBOUNCE_CB = "src/hooks/useDebouncedCallback.ts"
MEDIA_QUERY = "src/hooks/useMediaQuery.ts"
INDEX = "src/index.ts"
BUTTON_TEST = "src/components/__tests__/Button.test.tsx"
MODAL_TEST = "src/components/__tests__/Modal.test.tsx"
TABLE_TEST = "src/components/__tests__/Table.test.tsx"
LOGO = "docs/assets/logo.png"

_LOGO_V1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000180000001808020000006f15aaaf0000001f"
    "4944415478da63d0ced94015c4306ad0a841a3068d1a346ad0a841036f10001413dfdfca6c"
    "3ef20000000049454e44ae426082"
)
_LOGO_V2 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000180000001808020000006f15aaaf0000001f"
    "4944415478da63908f9a4615c4306ad0a841a3068d1a346ad0a841036f1000f24361dfd384"
    "9cf90000000049454e44ae426082"
)

# --------------------------------------------------------------------- base files

_PACKAGE_JSON = """\
{
  "name": "@paperkite/ui",
  "version": "2.3.1",
  "description": "Accessible React components for paperkite apps",
  "license": "MIT",
  "type": "module",
  "main": "dist/index.cjs",
  "module": "dist/index.js",
  "types": "dist/index.d.ts",
  "files": [
    "dist"
  ],
  "sideEffects": [
    "*.css"
  ],
  "scripts": {
    "build": "tsup src/index.ts --format esm,cjs --dts",
    "test": "vitest run",
    "lint": "eslint src --ext .ts,.tsx",
    "typecheck": "tsc --noEmit",
    "size": "size-limit"
  },
  "peerDependencies": {
    "react": "^18.2.0",
    "react-dom": "^18.2.0"
  },
  "devDependencies": {
    "@size-limit/preset-small-lib": "^11.0.1",
    "@testing-library/jest-dom": "^6.1.5",
    "@testing-library/react": "^14.1.2",
    "@testing-library/user-event": "^14.5.1",
    "@types/react": "^18.2.45",
    "@types/react-dom": "^18.2.18",
    "eslint": "^8.56.0",
    "jsdom": "^23.0.1",
    "react": "^18.2.0",
    "react-dom": "^18.2.0",
    "size-limit": "^11.0.1",
    "tsup": "^8.0.1",
    "typescript": "^5.3.3",
    "vitest": "^1.1.0"
  },
  "size-limit": [
    {
      "path": "dist/index.js",
      "limit": "12 kB"
    }
  ]
}
"""

_ROOT_DEV_DEPS = {
    "@size-limit/preset-small-lib": "^11.0.1",
    "@testing-library/jest-dom": "^6.1.5",
    "@testing-library/react": "^14.1.2",
    "@testing-library/user-event": "^14.5.1",
    "@types/react": "^18.2.45",
    "@types/react-dom": "^18.2.18",
    "eslint": "^8.56.0",
    "jsdom": "^23.0.1",
    "react": "^18.2.0",
    "react-dom": "^18.2.0",
    "size-limit": "^11.0.1",
    "tsup": "^8.0.1",
    "typescript": "^5.3.3",
    "vitest": "^1.1.0",
}

_NPM = "https://registry.npmjs.org"

_LOCK_COMMON = {
    "node_modules/@testing-library/user-event": {
        "version": "14.5.1",
        "resolved": f"{_NPM}/@testing-library/user-event/-/user-event-14.5.1.tgz",
        "integrity": "sha512-UCcUKrUYGj7ClomOo2SpNyvx4/931zp2XpQ2fL8ZPhHLxmz0GM+tItpwsk"
        "kdLu6nJEHVu1D0eGl2tJgqGNCSqA==",
        "dev": True,
        "engines": {"node": ">=12", "npm": ">=6"},
        "peerDependencies": {"@testing-library/dom": ">=7.21.4"},
    },
    "node_modules/js-tokens": {
        "version": "4.0.0",
        "resolved": f"{_NPM}/js-tokens/-/js-tokens-4.0.0.tgz",
        "integrity": "sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9b"
        "cxOpYBtpD2kCM6Sbzg4CausW/PKQ==",
        "dev": True,
    },
    "node_modules/loose-envify": {
        "version": "1.4.0",
        "resolved": f"{_NPM}/loose-envify/-/loose-envify-1.4.0.tgz",
        "integrity": "sha512-lyuxPGr/Wfhrlem2CL/UcnUc1zcqKAImBDzukY7Y5F/yQiNdko6+fRLevl"
        "w1HgMVj09ZE+S4/xZf5ZD1bDY44Q==",
        "dev": True,
        "dependencies": {"js-tokens": "^3.0.0 || ^4.0.0"},
        "bin": {"loose-envify": "cli.js"},
    },
    "node_modules/react": {
        "version": "18.2.0",
        "resolved": f"{_NPM}/react/-/react-18.2.0.tgz",
        "integrity": "sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/k"
        "GemdH2IWmB2ioZ+zkxtmq6g09fGQ==",
        "dev": True,
        "dependencies": {"loose-envify": "^1.1.0"},
        "engines": {"node": ">=0.10.0"},
    },
    "node_modules/react-dom": {
        "version": "18.2.0",
        "resolved": f"{_NPM}/react-dom/-/react-dom-18.2.0.tgz",
        "integrity": "sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwl"
        "VXtPBtJenozv2P+hxDsw9eA7Xo6g==",
        "dev": True,
        "dependencies": {"loose-envify": "^1.1.0", "scheduler": "^0.23.0"},
        "peerDependencies": {"react": "^18.2.0"},
    },
    "node_modules/scheduler": {
        "version": "0.23.0",
        "resolved": f"{_NPM}/scheduler/-/scheduler-0.23.0.tgz",
        "integrity": "sha512-CtuThmgHNg7zIZWAXi3AsyIzA3n4xx7aNyjwC2VJldO2LMVDhFK+63xGqq"
        "6CsJH4rTAt6/M+N4GhZiDYPx9eUw==",
        "dev": True,
        "dependencies": {"loose-envify": "^1.1.0"},
    },
}

_RTL_14_1 = {
    "node_modules/@testing-library/dom": {
        "version": "9.3.3",
        "resolved": f"{_NPM}/@testing-library/dom/-/dom-9.3.3.tgz",
        "integrity": "sha512-fB0R+fa3AUqbLHWyxXa2kGVtf1Fe1ZZFr0Zp6AIbIAzXb2mKbEXl+PCQNU"
        "OaTUksA7rI5rsR/kT4elahkxaB/mQ==",
        "dev": True,
        "dependencies": {
            "@babel/code-frame": "^7.10.4",
            "aria-query": "5.1.3",
            "dom-accessibility-api": "^0.5.9",
            "pretty-format": "^27.0.2",
        },
        "engines": {"node": ">=14"},
    },
    "node_modules/@testing-library/react": {
        "version": "14.1.2",
        "resolved": f"{_NPM}/@testing-library/react/-/react-14.1.2.tgz",
        "integrity": "sha512-z4p7DVBTPjKM5qDZ0t5ZjzkpSNb+fZy1u6bzO7kk8oeGagpPCAtgh4cx1s"
        "yMkeRmpGLbbBHDZBQDSbjJmG7Fzg==",
        "dev": True,
        "dependencies": {
            "@babel/runtime": "^7.12.5",
            "@testing-library/dom": "^9.0.0",
            "@types/react-dom": "^18.0.0",
        },
        "engines": {"node": ">=14"},
        "peerDependencies": {"react": "^18.0.0", "react-dom": "^18.0.0"},
    },
}

_RTL_14_2 = {
    "node_modules/@testing-library/dom": {
        "version": "9.3.4",
        "resolved": f"{_NPM}/@testing-library/dom/-/dom-9.3.4.tgz",
        "integrity": "sha512-FlS4ZWlp97iiNWig0Muq8p+3rVDjRiYE+YKGbAqXOu9nwJFFOdL00kFpz4"
        "2M+4huzYi86vAK1sOOfyOG45muIQ==",
        "dev": True,
        "dependencies": {
            "@babel/code-frame": "^7.10.4",
            "aria-query": "5.1.3",
            "dom-accessibility-api": "^0.5.9",
            "pretty-format": "^27.0.2",
        },
        "engines": {"node": ">=14"},
    },
    "node_modules/@testing-library/react": {
        "version": "14.2.1",
        "resolved": f"{_NPM}/@testing-library/react/-/react-14.2.1.tgz",
        "integrity": "sha512-sGdjws32ai5TLerhvzThYFbpnF9XtL65Cjf+gB0Dhr29BGqK+mAeN7S"
        "URSdu+eqgET4ANcWoC7FQpPNw5pHAo3A==",
        "dev": True,
        "dependencies": {
            "@babel/runtime": "^7.12.5",
            "@testing-library/dom": "^9.0.0",
            "@types/react-dom": "^18.0.0",
        },
        "engines": {"node": ">=14"},
        "peerDependencies": {"react": "^18.0.0", "react-dom": "^18.0.0"},
    },
}

_LOCK_V1 = (
    json.dumps(
        {
            "name": "@paperkite/ui",
            "version": "2.3.1",
            "lockfileVersion": 3,
            "requires": True,
            "packages": dict(
                sorted(
                    {
                        "": {
                            "name": "@paperkite/ui",
                            "version": "2.3.1",
                            "license": "MIT",
                            "devDependencies": _ROOT_DEV_DEPS,
                            "peerDependencies": {
                                "react": "^18.2.0",
                                "react-dom": "^18.2.0",
                            },
                        },
                        **_LOCK_COMMON,
                        **_RTL_14_1,
                    }.items()
                )
            ),
        },
        indent=2,
    )
    + "\n"
)

_LOCK_V2 = (
    json.dumps(
        {
            "name": "@paperkite/ui",
            "version": "2.3.1",
            "lockfileVersion": 3,
            "requires": True,
            "packages": dict(
                sorted(
                    {
                        "": {
                            "name": "@paperkite/ui",
                            "version": "2.3.1",
                            "license": "MIT",
                            "devDependencies": {
                                **_ROOT_DEV_DEPS,
                                "@testing-library/react": "^14.2.1",
                            },
                            "peerDependencies": {
                                "react": "^18.2.0",
                                "react-dom": "^18.2.0",
                            },
                        },
                        **_LOCK_COMMON,
                        **_RTL_14_2,
                    }.items()
                )
            ),
        },
        indent=2,
    )
    + "\n"
)

_TSCONFIG = """\
{
  "compilerOptions": {
    "target": "ES2020",
    "lib": ["DOM", "DOM.Iterable", "ES2020"],
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "jsx": "react-jsx",
    "strict": true,
    "noUncheckedIndexedAccess": false,
    "declaration": true,
    "skipLibCheck": true,
    "types": ["vitest/globals", "@testing-library/jest-dom"]
  },
  "include": ["src"]
}
"""

_README = """\
<p align="center">
  <img src="docs/assets/logo.png" alt="paperkite" width="120">
</p>

# @paperkite/ui

Accessible React components for paperkite apps: buttons, modals with a real focus trap,
and a virtualized table that stays fast with 100k rows.

```sh
npm install @paperkite/ui
```

```tsx
import { Button, Modal } from "@paperkite/ui";

function DeleteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="Delete project?">
      <Button variant="danger" onClick={onClose}>
        Delete
      </Button>
    </Modal>
  );
}
```

## Development

```sh
npm ci
npm test
npm run size
```

React 18.2+ is a peer dependency.
"""

_CX = """\
export type ClassValue = string | false | null | undefined;

/** Joins the truthy class names. */
export function cx(...values: ClassValue[]): string {
  return values.filter(Boolean).join(" ");
}
"""

_BUTTON = """\
import React, { forwardRef } from "react";
import { cx } from "../utils/cx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md" | "lg";

export interface ButtonProps extends React.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  icon?: React.ReactNode;
  fullWidth?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  {
    variant = "primary",
    size = "md",
    icon,
    fullWidth = false,
    className,
    children,
    ...rest
  },
  ref,
) {
  return (
    <button
      ref={ref}
      className={cx(
        "pk-button",
        `pk-button--${variant}`,
        `pk-button--${size}`,
        fullWidth && "pk-button--full",
        className,
      )}
      {...rest}
    >
      {icon && <span className="pk-button__icon">{icon}</span>}
      {children}
    </button>
  );
});
"""

_FOCUS_TRAP = """\
import { useEffect, type RefObject } from "react";

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  '[tabindex]:not([tabindex="-1"])',
].join(",");

export function getFocusable(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE));
}

/** Keeps Tab / Shift+Tab focus inside `ref` while `active` is true. */
export function useFocusTrap(ref: RefObject<HTMLElement>, active: boolean): void {
  useEffect(() => {
    const container = ref.current;
    if (!active || !container) return;

    const focusable = getFocusable(container);
    focusable[0]?.focus();

    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Tab") return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }

    container.addEventListener("keydown", onKeyDown);
    return () => container.removeEventListener("keydown", onKeyDown);
  }, [ref, active]);
}
"""

_DEBOUNCE = """\
import { useEffect, useState } from "react";

/** Returns `value` once it has stopped changing for `delayMs` milliseconds. */
export function useDebouncedValue<T>(value: T, delayMs = 300): T {
  const [debounced, setDebounced] = useState(value);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value]);

  return debounced;
}
"""

_MODAL = """\
import React, { useEffect, useRef } from "react";
import { createPortal } from "react-dom";
import { useFocusTrap } from "../hooks/useFocusTrap";

export interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  closeOnOverlayClick?: boolean;
}

export function Modal({
  open,
  onClose,
  title,
  children,
  closeOnOverlayClick = true,
}: ModalProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  useFocusTrap(dialogRef, open);

  useEffect(() => {
    if (!open) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "Escape") onClose();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const previousOverflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    return () => {
      document.body.style.overflow = previousOverflow;
    };
  }, [open]);

  if (!open) return null;

  return createPortal(
    <div
      className="pk-modal__overlay"
      onClick={closeOnOverlayClick ? onClose : undefined}
    >
      <div
        ref={dialogRef}
        className="pk-modal"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onClick={(event) => event.stopPropagation()}
      >
        <h2 className="pk-modal__title">{title}</h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
"""

_TABLE = """\
import React, { useState } from "react";

export interface Column<Row> {
  key: string;
  header: string;
  width?: number;
  render: (row: Row) => React.ReactNode;
}

export interface TableProps<Row> {
  columns: Column<Row>[];
  rows: Row[];
  getRowKey: (row: Row, index: number) => React.Key;
  rowHeight?: number;
  height?: number;
  overscan?: number;
}

/** A table that only renders the rows in (and near) the viewport. */
export function Table<Row>({
  columns,
  rows,
  getRowKey,
  rowHeight = 36,
  height = 400,
  overscan = 4,
}: TableProps<Row>) {
  const [scrollTop, setScrollTop] = useState(0);

  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const visibleCount = Math.ceil(height / rowHeight) + overscan * 2;
  const end = Math.min(rows.length, start + visibleCount);
  const visible = rows.slice(start, end);

  return (
    <div className="pk-table" role="table" aria-rowcount={rows.length + 1}>
      <div className="pk-table__header" role="row" aria-rowindex={1}>
        {columns.map((column) => (
          <div key={column.key} role="columnheader" style={{ width: column.width }}>
            {column.header}
          </div>
        ))}
      </div>
      <div
        className="pk-table__body"
        style={{ height, overflowY: "auto" }}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <div style={{ height: rows.length * rowHeight, position: "relative" }}>
          {visible.map((row, i) => (
            <div
              key={getRowKey(row, start + i)}
              role="row"
              aria-rowindex={start + i + 2}
              className="pk-table__row"
              style={{
                position: "absolute",
                top: (start + i) * rowHeight,
                height: rowHeight,
              }}
            >
              {columns.map((column) => (
                <div key={column.key} role="cell" style={{ width: column.width }}>
                  {column.render(row)}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
"""

_INDEX = """\
export { Button } from "./components/Button";
export type { ButtonProps, ButtonSize, ButtonVariant } from "./components/Button";
export { Modal } from "./components/Modal";
export type { ModalProps } from "./components/Modal";
export { Table } from "./components/Table";
export type { Column, TableProps } from "./components/Table";
export { useDebouncedValue } from "./hooks/useDebouncedValue";
export { useFocusTrap } from "./hooks/useFocusTrap";
"""

_BUTTON_TEST = """\
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Button } from "../Button";

describe("Button", () => {
  it("renders children", () => {
    render(<Button>Save</Button>);
    expect(screen.getByRole("button", { name: "Save" })).toBeInTheDocument();
  });

  it("applies variant and size classes", () => {
    render(
      <Button variant="danger" size="sm">
        Delete
      </Button>,
    );
    const button = screen.getByRole("button");
    expect(button).toHaveClass("pk-button--danger", "pk-button--sm");
  });

  it("calls onClick", async () => {
    const onClick = vi.fn();
    render(<Button onClick={onClick}>Go</Button>);
    await userEvent.click(screen.getByRole("button"));
    expect(onClick).toHaveBeenCalledOnce();
  });
});
"""

_MODAL_TEST = """\
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Modal } from "../Modal";

describe("Modal", () => {
  it("renders nothing when closed", () => {
    render(
      <Modal open={false} onClose={() => {}} title="Settings">
        body
      </Modal>,
    );
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("calls onClose on Escape", () => {
    const onClose = vi.fn();
    render(
      <Modal open onClose={onClose} title="Settings">
        <button>OK</button>
      </Modal>,
    );
    fireEvent.keyDown(document, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("moves focus into the dialog", () => {
    render(
      <Modal open onClose={() => {}} title="Settings">
        <button>First</button>
        <button>Second</button>
      </Modal>,
    );
    expect(screen.getByText("First")).toHaveFocus();
  });
});
"""

_CHANGESET_CONFIG = """\
{
  "$schema": "https://unpkg.com/@changesets/config@3.0.0/schema.json",
  "changelog": "@changesets/cli/changelog",
  "commit": false,
  "access": "public",
  "baseBranch": "main"
}
"""

FILES = {
    "package.json": _PACKAGE_JSON,
    "package-lock.json": _LOCK_V1,
    "tsconfig.json": _TSCONFIG,
    "README.md": _README,
    ".changeset/config.json": _CHANGESET_CONFIG,
    ".gitignore": "node_modules/\ndist/\ncoverage/\n",
    "src/utils/cx.ts": _CX,
    BUTTON: _BUTTON,
    MODAL: _MODAL,
    TABLE: _TABLE,
    FOCUS_TRAP: _FOCUS_TRAP,
    DEBOUNCE: _DEBOUNCE,
    INDEX: _INDEX,
    BUTTON_TEST: _BUTTON_TEST,
    MODAL_TEST: _MODAL_TEST,
}

# ------------------------------------------------------------------------- issues

ISSUES = (
    IssueSpec(
        number=4,
        title="Modal calls a stale onClose when Escape is pressed",
        body=(
            "If the `onClose` prop changes while the modal is open, Escape still calls "
            "the first one. Repro: a modal whose `onClose` closes over a form value; "
            "type into the form, press Escape, the handler sees the initial value.\n\n"
            "Clicking the overlay uses the current `onClose`, so the two paths behave "
            "differently."
        ),
        author="hanna-dev",
        labels=("bug",),
    ),
    IssueSpec(
        number=9,
        title="Focus trap lets focus escape when modal content loads asynchronously",
        body=(
            "Our settings modal shows a spinner and renders its form after a fetch. "
            "The trap collects focusable elements once when the modal opens (none, the "
            "spinner isn't focusable), so Tab goes straight to the page behind the "
            "overlay. In the worst case `last.focus()` throws "
            "`TypeError: Cannot read properties of undefined (reading 'focus')`."
        ),
        author="pmarchetti",
        labels=("bug", "accessibility"),
    ),
    IssueSpec(
        number=11,
        title="Buttons inside a <form> submit it",
        body=(
            "`<Button onClick={openPicker}>Choose file</Button>` inside a form submits "
            'the form, because a `<button>` without a `type` is `type="submit"`. '
            'Every other component library defaults to `type="button"`.'
        ),
        author="tobias-r",
        labels=("bug",),
    ),
)

# ------------------------------------------------------------------ pull requests

PR_BUTTON_TYPE = PullSpec(
    title='Button: default type to "button"',
    body=(
        'A `<button>` without `type` submits its form. Default to `type="button"`; '
        '`type="submit"` still passes through.\n\nFixes #11'
    ),
    author="li-wen",
    branch="fix/button-default-type",
    labels=("bug",),
    changes=(
        FileChange(
            BUTTON,
            edits=(
                Edit(
                    "    fullWidth = false,\n",
                    '    fullWidth = false,\n    type = "button",\n',
                ),
                Edit("      ref={ref}\n", "      ref={ref}\n      type={type}\n"),
            ),
        ),
        FileChange(
            BUTTON_TEST,
            edits=(
                Edit(
                    "    expect(onClick).toHaveBeenCalledOnce();\n  });\n",
                    "    expect(onClick).toHaveBeenCalledOnce();\n  });\n"
                    "\n"
                    '  it("does not submit the surrounding form", async () => {\n'
                    "    const onSubmit = vi.fn((event) => event.preventDefault());\n"
                    "    render(\n"
                    "      <form onSubmit={onSubmit}>\n"
                    "        <Button>Pick</Button>\n"
                    "      </form>,\n"
                    "    );\n"
                    '    await userEvent.click(screen.getByRole("button"));\n'
                    "    expect(onSubmit).not.toHaveBeenCalled();\n"
                    "  });\n",
                ),
            ),
        ),
        FileChange(
            ".changeset/quiet-pens-jump.md",
            content=(
                "---\n"
                '"@paperkite/ui": minor\n'
                "---\n"
                "\n"
                '`Button` now defaults to `type="button"`. Buttons that should submit '
                "a "
                'form need an explicit `type="submit"`.\n'
            ),
        ),
    ),
    comments=(
        Comment(
            key="breaking",
            author="jonah-b",
            path=BUTTON,
            anchor='type = "button",',
            body=(
                "Agree with the default, it's what Radix/MUI/Chakra do. But this is a "
                "behaviour change for anyone who relied on `<Button>` as the submit "
                "button of a form without spelling out `type`. That's a lot of login "
                "forms. Should the changeset be `major`?"
            ),
        ),
        Comment(
            key="breaking-reply",
            author="li-wen",
            association="CONTRIBUTOR",
            reply_to="breaking",
            body=(
                "I went back and forth on this. The old behaviour is the bug from #11 "
                "and a major for a one-line default felt excessive, so the changeset "
                "is `minor` with a migration note. Happy to bump it if you feel "
                "strongly."
            ),
        ),
        Comment(
            key="breaking-reply-2",
            author="mira-lindqvist",
            association="OWNER",
            reply_to="breaking",
            body=(
                "Minor is fine, we're shipping 3.0 in a month anyway; just make sure "
                "the "
                "changeset text ends up in the release notes verbatim."
            ),
        ),
        Comment(
            key="submit-test",
            author="a11y-sam",
            association="COLLABORATOR",
            path=BUTTON_TEST,
            anchor="expect(onSubmit).not.toHaveBeenCalled();",
            body=(
                'Could you add the opposite case too, so nobody "fixes" this by '
                "hard-coding the attribute after the spread?\n\n"
                "```suggestion\n"
                "    expect(onSubmit).not.toHaveBeenCalled();\n"
                "  });\n"
                "\n"
                '  it("submits when type is submit", async () => {\n'
                "    const onSubmit = vi.fn((event) => event.preventDefault());\n"
                "    render(\n"
                "      <form onSubmit={onSubmit}>\n"
                '        <Button type="submit">Save</Button>\n'
                "      </form>,\n"
                "    );\n"
                '    await userEvent.click(screen.getByRole("button"));\n'
                "    expect(onSubmit).toHaveBeenCalledOnce();\n"
                "```"
            ),
        ),
        Comment(
            key="changeset",
            author="keiko-t",
            path=".changeset/quiet-pens-jump.md",
            anchor='"@paperkite/ui": minor',
            body="+1",
        ),
    ),
)

_USE_LATEST = """\
import { useLayoutEffect, useRef } from "react";

/** A ref that always holds the latest `value`, for long-lived callbacks. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
"""

_MODAL_RERENDER_TEST = """\
  it("calls the latest onClose after a re-render", () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = render(
      <Modal open onClose={first} title="Settings">
        body
      </Modal>,
    );
    rerender(
      <Modal open onClose={second} title="Settings">
        body
      </Modal>,
    );
    fireEvent.keyDown(document, { key: "Escape" });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it("moves focus into the dialog", () => {
"""

PR_STALE_CLOSE = PullSpec(
    title="Modal: call the current onClose on Escape",
    body=(
        "The Escape listener is registered in an effect that only depends on `open`, "
        "so it keeps calling the `onClose` from the render that opened the modal.\n\n"
        "Fixes #4"
    ),
    author="devonw",
    branch="fix/modal-stale-onclose",
    labels=("bug",),
    changes=(
        FileChange(
            MODAL,
            edits=(
                Edit(
                    '    return () => document.removeEventListener("keydown", '
                    "onKeyDown);\n  }, [open]);\n",
                    '    return () => document.removeEventListener("keydown", '
                    "onKeyDown);\n  }, [open, onClose]);\n",
                ),
            ),
        ),
        FileChange(
            MODAL_TEST,
            edits=(
                Edit(
                    '  it("moves focus into the dialog", () => {\n',
                    _MODAL_RERENDER_TEST,
                ),
            ),
        ),
    ),
    fixups=(
        FileChange("src/hooks/useLatest.ts", content=_USE_LATEST),
        FileChange(
            MODAL,
            edits=(
                Edit(
                    'import { useFocusTrap } from "../hooks/useFocusTrap";\n',
                    'import { useFocusTrap } from "../hooks/useFocusTrap";\n'
                    'import { useLatest } from "../hooks/useLatest";\n',
                ),
                Edit(
                    "  useFocusTrap(dialogRef, open);\n",
                    "  const onCloseRef = useLatest(onClose);\n"
                    "  useFocusTrap(dialogRef, open);\n",
                ),
                Edit(
                    'if (event.key === "Escape") onClose();',
                    'if (event.key === "Escape") onCloseRef.current();',
                ),
                Edit("  }, [open, onClose]);\n", "  }, [open, onCloseRef]);\n"),
            ),
        ),
    ),
    fixup_message="Keep the latest onClose in a ref instead of re-subscribing",
    comments=(
        Comment(
            key="resubscribe",
            author="rafaelcosta",
            path=MODAL,
            anchor="}, [open, onClose]);",
            outdated=True,
            body=(
                "This fixes the stale closure, but every consumer in our docs passes "
                "an "
                "inline arrow (`onClose={() => setOpen(false)}`), so the effect now "
                "tears down and re-adds the `document` listener on every render of the "
                "parent. With nested modals that also reorders the listeners, and the "
                "outer modal's handler ends up running before the inner one's. Keep "
                "the "
                "latest callback in a ref and leave the effect depending on `open` "
                "only?"
            ),
        ),
        Comment(
            key="resubscribe-reply",
            author="devonw",
            association="CONTRIBUTOR",
            reply_to="resubscribe",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit with a small `useLatest` hook. "
                "The regression test still passes and the listener is only added once "
                "per open."
            ),
        ),
        Comment(
            key="layout-ssr",
            author="keiko-t",
            path="src/hooks/useLatest.ts",
            anchor="  useLayoutEffect(() => {",
            body=(
                '`useLayoutEffect` logs "useLayoutEffect does nothing on the server" '
                "during SSR, once per modal per request. Next.js users will see that "
                "in "
                "their logs even though `Modal` renders `null` there (hooks still "
                "run). "
                "The usual fix is an isomorphic alias that falls back to `useEffect` "
                "when `window` is undefined."
            ),
        ),
        Comment(
            key="layout-ssr-reply",
            author="devonw",
            association="CONTRIBUTOR",
            reply_to="layout-ssr",
            body="Is that still a thing? I thought React dropped that warning.",
        ),
        Comment(
            key="layout-ssr-reply-2",
            author="keiko-t",
            reply_to="layout-ssr",
            body=(
                "Only in React 19. Our peer range is `^18.2.0`, so yes. Fine as a "
                "follow-up since `useFocusTrap` will want the same helper."
            ),
        ),
        Comment(
            key="ref-deps",
            author="jonah-b",
            path=MODAL,
            anchor="}, [open, onCloseRef]);",
            body=(
                "nit: `onCloseRef` is stable, so listing it is only there to keep "
                "`react-hooks/exhaustive-deps` quiet (it can't see through "
                "`useLatest`). "
                "Fine by me, but a short comment would save the next reader a minute."
            ),
        ),
        Comment(
            key="test",
            author="a11y-sam",
            association="COLLABORATOR",
            path=MODAL_TEST,
            anchor='it("calls the latest onClose after a re-render", () => {',
            body="Thanks for the regression test, this is exactly the repro from #4.",
        ),
    ),
    conversation=(
        IssueComment(
            author="codecov[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "## [Codecov](https://app.codecov.io/gh/paperkite/paperkite-ui) "
                "Report\n"
                "All modified and coverable lines are covered by tests "
                ":white_check_mark:\n\n"
                "> Project coverage is 87.31%. Comparing base (`5d0e2a7`) to head "
                "(`c81f3b0`)."
            ),
        ),
    ),
)

_TABLE_SORT_STATE_V1 = """\
  const [scrollTop, setScrollTop] = useState(0);
  const [sort, setSort] = useState<SortState | null>(null);

  const sortColumn = columns.find((column) => column.key === sort?.key);
  const sorted = sortColumn?.compare ? rows.sort(sortColumn.compare) : rows;
  if (sort?.direction === "desc") sorted.reverse();

  function toggleSort(key: string) {
    setSort((current) =>
      current?.key === key && current.direction === "asc"
        ? { key, direction: "desc" }
        : { key, direction: "asc" },
    );
  }

  function ariaSort(key: string): "ascending" | "descending" | "none" {
    if (sort?.key !== key) return "none";
    return sort.direction === "asc" ? "ascending" : "descending";
  }
"""

_TABLE_SORT_STATE_V2 = """\
  const [scrollTop, setScrollTop] = useState(0);
  const [sort, setSort] = useState<SortState | null>(null);

  // Sorting 100k rows on every scroll frame is not an option: memoize, and never
  // sort the caller's array in place.
  const sorted = useMemo(() => {
    const compare = columns.find((column) => column.key === sort?.key)?.compare;
    if (!sort || !compare) return rows;
    const factor = sort.direction === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => factor * compare(a, b));
  }, [rows, columns, sort]);

  function toggleSort(key: string) {
    setSort((current) =>
      current?.key === key && current.direction === "asc"
        ? { key, direction: "desc" }
        : { key, direction: "asc" },
    );
  }

  function ariaSort(key: string): "ascending" | "descending" | "none" {
    if (sort?.key !== key) return "none";
    return sort.direction === "asc" ? "ascending" : "descending";
  }
"""

_TABLE_HEADER_V1 = """\
        {columns.map((column) => (
          <div
            key={column.key}
            role="columnheader"
            aria-sort={ariaSort(column.key)}
            style={{ width: column.width }}
            onClick={column.compare ? () => toggleSort(column.key) : undefined}
          >
            {column.header}
          </div>
        ))}
"""

_TABLE_TEST = """\
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Table, type Column } from "../Table";

interface Person {
  id: number;
  name: string;
}

const columns: Column<Person>[] = [
  {
    key: "name",
    header: "Name",
    render: (person) => person.name,
    compare: (a, b) => a.name.localeCompare(b.name),
  },
];

const people: Person[] = [
  { id: 1, name: "Mila" },
  { id: 2, name: "Arno" },
  { id: 3, name: "Zoe" },
];

describe("Table sorting", () => {
  it("sorts ascending, then descending", () => {
    render(<Table columns={columns} rows={people} getRowKey={(p) => p.id} />);
    fireEvent.click(screen.getByRole("columnheader", { name: "Name" }));
    expect(screen.getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "Arno",
      "Mila",
      "Zoe",
    ]);
    fireEvent.click(screen.getByRole("columnheader", { name: "Name" }));
    expect(screen.getAllByRole("cell")[0]).toHaveTextContent("Zoe");
  });
});
"""

PR_TABLE_SORT = PullSpec(
    title="Table: sortable columns",
    body=(
        "Adds an optional `compare` to `Column`. Clicking a sortable header toggles "
        "ascending/descending and sets `aria-sort`.\n\n"
        "![sorting](https://user-images.githubusercontent.com/5512/table-sort.gif)"
    ),
    author="ostap-k",
    branch="feature/table-sorting",
    labels=("enhancement",),
    changes=(
        FileChange(
            TABLE,
            edits=(
                Edit(
                    "  render: (row: Row) => React.ReactNode;\n}\n",
                    "  render: (row: Row) => React.ReactNode;\n"
                    "  /** Makes the column sortable. */\n"
                    "  compare?: (a: Row, b: Row) => number;\n"
                    "}\n"
                    "\n"
                    "interface SortState {\n"
                    "  key: string;\n"
                    '  direction: "asc" | "desc";\n'
                    "}\n",
                ),
                Edit(
                    "  const [scrollTop, setScrollTop] = useState(0);\n",
                    _TABLE_SORT_STATE_V1,
                ),
                Edit(
                    "  const visible = rows.slice(start, end);\n",
                    "  const visible = sorted.slice(start, end);\n",
                ),
                Edit(
                    "        {columns.map((column) => (\n"
                    '          <div key={column.key} role="columnheader" '
                    "style={{ width: column.width }}>\n"
                    "            {column.header}\n"
                    "          </div>\n"
                    "        ))}\n",
                    _TABLE_HEADER_V1,
                ),
            ),
        ),
        FileChange(TABLE_TEST, content=_TABLE_TEST),
    ),
    fixups=(
        FileChange(
            TABLE,
            edits=(
                Edit(
                    'import React, { useState } from "react";',
                    'import React, { useMemo, useState } from "react";',
                ),
                Edit(_TABLE_SORT_STATE_V1, _TABLE_SORT_STATE_V2),
            ),
        ),
        FileChange(
            TABLE_TEST,
            edits=(
                Edit(
                    '    expect(screen.getAllByRole("cell")[0])'
                    '.toHaveTextContent("Zoe");\n  });\n',
                    '    expect(screen.getAllByRole("cell")[0])'
                    '.toHaveTextContent("Zoe");\n  });\n'
                    "\n"
                    '  it("does not mutate the rows prop", () => {\n'
                    "    const rows = [...people];\n"
                    "    render(<Table columns={columns} rows={rows} "
                    "getRowKey={(p) => p.id} />);\n"
                    '    fireEvent.click(screen.getByRole("columnheader", '
                    '{ name: "Name" }));\n'
                    "    expect(rows).toEqual(people);\n"
                    "  });\n",
                ),
            ),
        ),
    ),
    fixup_message="Sort a memoized copy instead of the rows prop",
    comments=(
        Comment(
            key="mutate",
            author="jonah-b",
            path=TABLE,
            anchor="rows.sort(sortColumn.compare)",
            outdated=True,
            body=(
                "`Array.prototype.sort` sorts in place, so this reorders the caller's "
                "`rows` array, which is usually React state or a query cache entry. "
                "Sorting someone else's state behind their back will bite: e.g. "
                "react-query will hand the sorted array to every other subscriber."
            ),
        ),
        Comment(
            key="reverse",
            author="rafaelcosta",
            path=TABLE,
            anchor='if (sort?.direction === "desc") sorted.reverse();',
            outdated=True,
            body=(
                "Worse than the `sort`: `reverse()` also mutates, and it runs on every "
                "render. Each scroll event re-renders, so with `desc` active the rows "
                "flip back and forth while you scroll. That's probably the flicker in "
                "your GIF around the 3s mark."
            ),
        ),
        Comment(
            key="reverse-reply",
            author="ostap-k",
            association="CONTRIBUTOR",
            reply_to="reverse",
            outdated=True,
            body=(
                "Oh no, that's exactly it. Fixed in the next commit: sorting a copy, "
                "with the direction folded into the comparator, and added a test that "
                "the prop isn't mutated."
            ),
        ),
        Comment(
            key="perf",
            author="keiko-t",
            path=TABLE,
            anchor=(
                "const sortColumn = columns.find((column) => column.key === sort?.key);"
            ),
            outdated=True,
            body=(
                "Perf: this runs on every render, and `Table` re-renders on every "
                "`scroll` event. For the 100k-row story that's a full O(n log n) sort "
                "per scroll frame. Needs `useMemo`."
            ),
        ),
        Comment(
            key="memo-deps",
            author="keiko-t",
            path=TABLE,
            anchor="}, [rows, columns, sort]);",
            body=(
                "`columns` is an inline array literal in basically every consumer (and "
                "in our own stories), so this memo is invalidated on every render and "
                "we're back to sorting on scroll. Could the memo depend on the active "
                "column's `compare` instead of the whole `columns` array?"
            ),
        ),
        Comment(
            key="memo-deps-reply",
            author="ostap-k",
            association="CONTRIBUTOR",
            reply_to="memo-deps",
            body=(
                "Depending on `compare` has the same problem when consumers pass an "
                "inline comparator, which the README example would do. I'd rather "
                "document that `columns` must be referentially stable (react-table and "
                "AG Grid have the same rule) than add a heuristic that only half "
                "works. "
                "I'll add it to the `TableProps` doc comment."
            ),
        ),
        Comment(
            key="keyboard",
            author="a11y-sam",
            association="COLLABORATOR",
            path=TABLE,
            start_anchor="aria-sort={ariaSort(column.key)}",
            anchor=(
                "onClick={column.compare ? () => toggleSort(column.key) : undefined}"
            ),
            body=(
                "A clickable `div` isn't reachable by keyboard: no tab stop, no "
                "Enter/Space. The APG sortable table pattern puts a `<button>` inside "
                "the `columnheader` and keeps `aria-sort` on the header cell. Screen "
                "reader users currently can't sort at all."
            ),
        ),
        Comment(
            key="keyboard-reply",
            author="ostap-k",
            association="CONTRIBUTOR",
            reply_to="keyboard",
            body=(
                "Agreed. That changes the header markup and CSS for every table "
                "though, "
                "so I'd like to do it in a follow-up that also handles the focus ring. "
                "Would that be OK if it lands before 2.4 is cut?"
            ),
        ),
        Comment(
            key="keyboard-reply-2",
            author="a11y-sam",
            association="COLLABORATOR",
            reply_to="keyboard",
            body=(
                "OK, as long as sorting isn't released without it. Please mark the "
                "follow-up as a release blocker."
            ),
        ),
        Comment(
            key="memo-block",
            author="rafaelcosta",
            path=TABLE,
            start_anchor="const sorted = useMemo(() => {",
            anchor="return [...rows].sort((a, b) => factor * compare(a, b));",
            body=(
                "Much better. `Array.prototype.sort` is stable since ES2019, so equal "
                "names keep their original order, which is what users expect when "
                "sorting by a second column."
            ),
        ),
    ),
)

PR_RTL_BUMP = PullSpec(
    title="Bump @testing-library/react from 14.1.2 to 14.2.1",
    body=(
        "Bumps [@testing-library/react](https://github.com/testing-library/"
        "react-testing-library) from 14.1.2 to 14.2.1.\n"
        "<details>\n<summary>Release notes</summary>\n"
        '<p><em>Sourced from <a href="https://github.com/testing-library/'
        "react-testing-library/releases\">@testing-library/react's releases</a>."
        "</em></p>\n<blockquote>\n<h2>v14.2.1</h2>\n<h3>Bug Fixes</h3>\n<ul>\n"
        "<li>Add <code>asyncWrapper</code> and <code>eventWrapper</code> types "
        "(#1290)</li>\n</ul>\n<h2>v14.2.0</h2>\n<h3>Features</h3>\n<ul>\n"
        "<li>Add <code>onCaughtError</code> and <code>onRecoverableError</code> "
        "to render options</li>\n</ul>\n</blockquote>\n</details>\n\n"
        "Dependabot will resolve any conflicts with this PR as long as you don't "
        "alter it yourself. You can also trigger a rebase manually by commenting "
        "`@dependabot rebase`."
    ),
    author="dependabot[bot]",
    author_association="NONE",
    branch="dependabot/npm_and_yarn/testing-library/react-14.2.1",
    labels=("dependencies",),
    commit_message="Bump @testing-library/react from 14.1.2 to 14.2.1",
    changes=(
        FileChange(
            "package.json",
            edits=(
                Edit(
                    '"@testing-library/react": "^14.1.2",',
                    '"@testing-library/react": "^14.2.1",',
                ),
            ),
        ),
        FileChange("package-lock.json", content=_LOCK_V2),
    ),
    comments=(
        Comment(
            key="dom",
            author="jonah-b",
            path="package-lock.json",
            anchor='"version": "9.3.4",',
            body=(
                "This also pulls `@testing-library/dom` 9.3.3 → 9.3.4, which changed "
                "`getByRole` to respect `aria-hidden` on ancestors. Our Modal tests "
                "render into `document.body` next to nothing else, so we should be "
                "fine, CI agrees."
            ),
        ),
        Comment(
            key="lgtm",
            author="keiko-t",
            path="package.json",
            anchor='"@testing-library/react": "^14.2.1",',
            body="lgtm 👍",
        ),
    ),
    conversation=(
        IssueComment(
            author="github-actions[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "### size-limit report 📦\n\n"
                "| Path | Size |\n| --- | --- |\n"
                "| dist/index.js | 9.76 KB (0%) |\n"
            ),
        ),
        IssueComment(
            author="mira-lindqvist",
            association="OWNER",
            body="@dependabot squash and merge",
        ),
    ),
)

_DEBOUNCE_CB_V1 = """\
import { useCallback, useRef } from "react";

/**
 * Returns a function that calls `callback` once calls have stopped for `delayMs`.
 * Useful for search-as-you-type inputs.
 */
export function useDebouncedCallback<A extends unknown[]>(
  callback: (...args: A) => void,
  delayMs = 300,
): (...args: A) => void {
  const timer = useRef<ReturnType<typeof setTimeout>>();

  return useCallback((...args: A) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => callback(...args), delayMs);
  }, []);
}
"""

_DEBOUNCE_CB_V2 = """\
import { useCallback, useEffect, useRef } from "react";
import { useLatest } from "./useLatest";

/**
 * Returns a function that calls `callback` once calls have stopped for `delayMs`.
 * Useful for search-as-you-type inputs. Pending calls are dropped on unmount.
 */
export function useDebouncedCallback<A extends unknown[]>(
  callback: (...args: A) => void,
  delayMs = 300,
): (...args: A) => void {
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useLatest(callback);

  useEffect(() => () => clearTimeout(timer.current), []);

  return useCallback(
    (...args: A) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latest.current(...args), delayMs);
    },
    [delayMs, latest],
  );
}
"""

PR_DEBOUNCE_CB = PullSpec(
    title="Add useDebouncedCallback",
    body=(
        "`useDebouncedValue` covers rendering, but for search inputs we want to "
        "debounce the *request*, not the value. This adds `useDebouncedCallback` and "
        "fixes the missing `delayMs` dependency in `useDebouncedValue` while at it."
    ),
    author="li-wen",
    branch="feature/use-debounced-callback",
    labels=("enhancement",),
    changes=(
        FileChange(DEBOUNCE_CB, content=_DEBOUNCE_CB_V1),
        FileChange(
            DEBOUNCE,
            edits=(Edit("  }, [value]);\n", "  }, [value, delayMs]);\n"),),
        ),
        FileChange(
            INDEX,
            edits=(
                Edit(
                    'export { useDebouncedValue } from "./hooks/useDebouncedValue";\n',
                    "export { useDebouncedCallback } from "
                    '"./hooks/useDebouncedCallback";\n'
                    "export { useDebouncedValue } from "
                    '"./hooks/useDebouncedValue";\n',
                ),
            ),
        ),
    ),
    fixups=(FileChange(DEBOUNCE_CB, content=_DEBOUNCE_CB_V2),),
    fixup_message="Use the latest callback and cancel pending calls on unmount",
    comments=(
        Comment(
            key="stale",
            author="rafaelcosta",
            path=DEBOUNCE_CB,
            anchor="  }, []);",
            outdated=True,
            body=(
                "Empty deps means the returned function closes over the `callback` "
                "from the first render forever. In the search box that callback reads "
                "the current filters from props, so it'll keep searching with the "
                "initial filters. Same for `delayMs`. Classic stale closure; keep the "
                "callback in a ref (we have `useLatest` now) and depend on `delayMs`."
            ),
        ),
        Comment(
            key="stale-reply",
            author="li-wen",
            association="CONTRIBUTOR",
            reply_to="stale",
            outdated=True,
            body="Done, it goes through `useLatest` now.",
        ),
        Comment(
            key="unmount",
            author="jonah-b",
            path=DEBOUNCE_CB,
            anchor="timer.current = setTimeout(() => callback(...args), delayMs);",
            outdated=True,
            body=(
                "Nothing clears the pending timer on unmount, so typing and then "
                "closing the panel fires a request (and a `setState` on an unmounted "
                "component) 300ms later. Needs a cleanup effect."
            ),
        ),
        Comment(
            key="unmount-reply",
            author="li-wen",
            association="CONTRIBUTOR",
            reply_to="unmount",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit. I considered flushing instead "
                "of "
                "dropping, but dropping is what lodash's `cancel` does and what you "
                "want for requests."
            ),
        ),
        Comment(
            key="left-deps",
            author="keiko-t",
            path=DEBOUNCE,
            side="LEFT",
            anchor="  }, [value]);",
            body=(
                "Nice catch on this one too: changing `delayMs` while a timer is "
                "pending kept the old delay."
            ),
        ),
        Comment(
            key="ref-type",
            author="jonah-b",
            path=DEBOUNCE_CB,
            anchor="const timer = useRef<ReturnType<typeof setTimeout>>();",
            body=(
                "nit: `useRef<T>()` without an argument is a type error with "
                "`@types/react` 19. Passing `undefined` explicitly keeps us "
                "forward-compatible:\n\n"
                "```suggestion\n"
                "  const timer = useRef<ReturnType<typeof setTimeout> | undefined>"
                "(undefined);\n"
                "```"
            ),
        ),
        Comment(
            key="export",
            author="mira-lindqvist",
            association="OWNER",
            path=INDEX,
            anchor=(
                'export { useDebouncedCallback } from "./hooks/useDebouncedCallback";'
            ),
            body=(
                "Public API addition, so it needs a changeset (`minor`) and a line in "
                "the hooks docs page."
            ),
        ),
    ),
)

_FOCUS_TRAP_BODY_NEW = """\
    const initial = getFocusable(container);
    (initial[0] ?? container).focus();

    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Tab") return;
      // Query on every Tab: the content may have changed since the trap activated.
      const focusable = getFocusable(container);
      if (focusable.length === 0) {
        event.preventDefault();
        container.focus();
        return;
      }
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
"""

_MODAL_ASYNC_TEST = """\
  it("focuses the dialog itself when it has no focusable content", () => {
    render(
      <Modal open onClose={() => {}} title="Loading">
        <p>Loading…</p>
      </Modal>,
    );
    expect(screen.getByRole("dialog")).toHaveFocus();
  });

  it("wraps Tab to content rendered after opening", () => {
    const { rerender } = render(
      <Modal open onClose={() => {}} title="Settings">
        <p>Loading…</p>
      </Modal>,
    );
    rerender(
      <Modal open onClose={() => {}} title="Settings">
        <button>Save</button>
        <button>Cancel</button>
      </Modal>,
    );
    screen.getByText("Cancel").focus();
    fireEvent.keyDown(screen.getByRole("dialog"), { key: "Tab" });
    expect(screen.getByText("Save")).toHaveFocus();
  });
});
"""

PR_FOCUS_TRAP = PullSpec(
    title="Focus trap: handle content that changes while the trap is active",
    body=(
        "The trap collected focusable elements once, when it activated. Modals that "
        "render their content after a fetch ended up with an empty list, and Tab "
        "escaped to the page (or threw on `last.focus()`).\n\n"
        "- query focusable elements on every Tab\n"
        "- focus the container when there is nothing focusable (Modal now sets "
        "`tabIndex={-1}` on the dialog)\n"
        "- skip elements inside `inert` subtrees\n\n"
        "Fixes #9"
    ),
    author="devonw",
    branch="fix/focus-trap-dynamic-content",
    labels=("bug", "accessibility"),
    changes=(
        FileChange(
            FOCUS_TRAP,
            edits=(
                Edit(
                    "  return Array.from(container.querySelectorAll<HTMLElement>"
                    "(FOCUSABLE));\n",
                    "  return Array.from(container.querySelectorAll<HTMLElement>"
                    "(FOCUSABLE)).filter(\n"
                    '    (element) => !element.closest("[inert]"),\n'
                    "  );\n",
                ),
                Edit(
                    "    const focusable = getFocusable(container);\n"
                    "    focusable[0]?.focus();\n"
                    "\n"
                    "    function onKeyDown(event: KeyboardEvent) {\n"
                    '      if (event.key !== "Tab") return;\n'
                    "      const first = focusable[0];\n"
                    "      const last = focusable[focusable.length - 1];\n",
                    _FOCUS_TRAP_BODY_NEW,
                ),
            ),
        ),
        FileChange(
            MODAL,
            edits=(
                Edit(
                    '        role="dialog"\n',
                    '        role="dialog"\n        tabIndex={-1}\n',
                ),
            ),
        ),
        FileChange(
            MODAL_TEST,
            edits=(
                Edit(
                    '    expect(screen.getByText("First")).toHaveFocus();\n  '
                    "});\n});\n",
                    '    expect(screen.getByText("First")).toHaveFocus();\n  });\n\n'
                    + _MODAL_ASYNC_TEST,
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="root-cause",
            author="a11y-sam",
            association="COLLABORATOR",
            path=FOCUS_TRAP,
            side="LEFT",
            anchor="    const focusable = getFocusable(container);",
            body=(
                "For posterity: this snapshot was the root cause of #9. Anything "
                "rendered after activation (async content, accordions, validation "
                "messages with links) was invisible to the trap."
            ),
        ),
        Comment(
            key="optional-focus",
            author="rafaelcosta",
            path=FOCUS_TRAP,
            side="LEFT",
            anchor="focusable[0]?.focus();",
            body=(
                "And with an empty list this `?.` silently left focus on the trigger "
                "button *behind* the overlay, so screen readers never announced the "
                "dialog."
            ),
        ),
        Comment(
            key="hidden",
            author="a11y-sam",
            association="COLLABORATOR",
            path=FOCUS_TRAP,
            anchor='(element) => !element.closest("[inert]"),',
            body=(
                "Hidden elements are still matched: a `<button hidden>` or anything "
                "under `display: none` becomes `last`, `last.focus()` silently does "
                "nothing and focus stays put, so Tab looks broken.\n\n"
                "```suggestion\n"
                "    (element) =>\n"
                '      !element.closest("[inert]") && element.getClientRects()'
                ".length > 0,\n"
                "```"
            ),
        ),
        Comment(
            key="hidden-reply",
            author="devonw",
            association="CONTRIBUTOR",
            reply_to="hidden",
            body=(
                "`getClientRects()` is always empty in jsdom (no layout), so this "
                "would "
                "make every element look hidden in our unit tests and the whole Modal "
                "suite fails. I can filter `[hidden]` ancestors with `closest`, which "
                "covers the common case; the `display: none` case needs a Playwright "
                "test. OK to do that in a follow-up?"
            ),
        ),
        Comment(
            key="hidden-reply-2",
            author="a11y-sam",
            association="COLLABORATOR",
            reply_to="hidden",
            body="Fair, jsdom strikes again. Follow-up is fine.",
        ),
        Comment(
            key="container-focus",
            author="keiko-t",
            path=FOCUS_TRAP,
            anchor="(initial[0] ?? container).focus();",
            body=(
                "`container.focus()` only works if the container has a `tabIndex`. "
                "`Modal` sets it now, but `useFocusTrap` is exported and the Drawer in "
                "the app repo uses it directly. Either set `tabIndex = -1` here when "
                "it's missing or document the requirement in the JSDoc."
            ),
        ),
        Comment(
            key="per-tab",
            author="jonah-b",
            path=FOCUS_TRAP,
            anchor="const focusable = getFocusable(container);",
            body=(
                "`querySelectorAll` on every Tab press is fine perf-wise (it's a "
                "keypress, not a scroll handler), just confirming we considered a "
                "`MutationObserver` and decided it's not worth it. 👍"
            ),
        ),
        Comment(
            key="sonar",
            author="sonarcloud[bot]",
            author_type="Bot",
            association="NONE",
            path=MODAL_TEST,
            anchor='screen.getByText("Cancel").focus();',
            body=(
                "**Code Smell** (Minor): Avoid direct Node access. Prefer using the "
                "methods from Testing Library.\n\n[See rule typescript:S6864]"
                "(https://sonarcloud.io/organizations/paperkite/rules"
                "?open=typescript%3AS6864)"
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="pmarchetti",
            association="NONE",
            body="Tried the preview build on our settings modal, works great. Thanks!",
        ),
    ),
)

_TABLE_SCROLL_V1 = """\
  const frame = useRef(0);

  function onScroll(event: React.UIEvent<HTMLDivElement>) {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      setScrollTop(event.currentTarget.scrollTop);
    });
  }

  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
"""

_TABLE_SCROLL_V2 = """\
  const frame = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- read the id at unmount
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  function onScroll(event: React.UIEvent<HTMLDivElement>) {
    // Read synchronously: currentTarget is reset once the event has been dispatched.
    const top = event.currentTarget.scrollTop;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(top));
  }

  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
"""

PR_TABLE_RAF = PullSpec(
    title="Table: batch scroll updates with requestAnimationFrame",
    body=(
        "Scrolling the 50k-row story on a throttled CPU drops frames: every `scroll` "
        "event sets state and re-renders the visible rows, and Chrome fires scroll "
        "events faster than it paints. This coalesces updates to one per frame."
    ),
    author="ostap-k",
    branch="perf/table-raf-scroll",
    labels=("performance",),
    changes=(
        FileChange(
            TABLE,
            edits=(
                Edit(
                    'import React, { useMemo, useState } from "react";',
                    "import React, { useEffect, useMemo, useRef, useState } from "
                    '"react";',
                ),
                Edit(
                    "  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - "
                    "overscan);\n",
                    _TABLE_SCROLL_V1,
                ),
                Edit(
                    "onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}",
                    "onScroll={onScroll}",
                ),
            ),
        ),
    ),
    fixups=(FileChange(TABLE, edits=(Edit(_TABLE_SCROLL_V1, _TABLE_SCROLL_V2),)),),
    fixup_message="Read scrollTop synchronously and cancel the frame on unmount",
    comments=(
        Comment(
            key="current-target",
            author="rafaelcosta",
            path=TABLE,
            anchor="setScrollTop(event.currentTarget.scrollTop);",
            outdated=True,
            body=(
                "`event.currentTarget` is `null` by the time the rAF callback runs: "
                "the DOM (and React's synthetic event, which mirrors it) resets "
                "`currentTarget` once dispatch is over. This throws `Cannot read "
                "properties of null (reading 'scrollTop')` on the first scroll. Read "
                "`scrollTop` synchronously and close over the number."
            ),
        ),
        Comment(
            key="current-target-reply",
            author="ostap-k",
            association="CONTRIBUTOR",
            reply_to="current-target",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit. It worked in Storybook because "
                "I only tested with the React DevTools open, which keeps a reference "
                "to "
                "the event... lesson learned."
            ),
        ),
        Comment(
            key="cleanup",
            author="jonah-b",
            path=TABLE,
            anchor="useEffect(() => () => cancelAnimationFrame(frame.current), []);",
            body=(
                "👍 on cancelling at unmount. A pending frame would otherwise call "
                "`setScrollTop` on an unmounted table when a route change happens "
                "mid-scroll."
            ),
        ),
        Comment(
            key="numbers",
            author="mira-lindqvist",
            association="OWNER",
            path=TABLE,
            anchor="frame.current = requestAnimationFrame(() => setScrollTop(top));",
            body=(
                "Do we have before/after numbers? React 18 already batches updates "
                "inside one event, so I'd like to see that this actually reduces "
                "commits rather than just delaying them by a frame."
            ),
        ),
        Comment(
            key="numbers-reply",
            author="ostap-k",
            association="CONTRIBUTOR",
            reply_to="numbers",
            body=(
                "Chrome profile, 50k-row story, 4x CPU throttling, 5s of trackpad "
                "scrolling: commits went from 612 to 298 and scripting time from "
                "2.9s to 1.3s. Batching doesn't help here because each scroll event is "
                "its own task. Profiles are attached to the Storybook PR preview."
            ),
        ),
        Comment(
            key="nice",
            author="keiko-t",
            path=TABLE,
            anchor="onScroll={onScroll}",
            body="nice",
        ),
    ),
    conversation=(
        IssueComment(
            author="github-actions[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "### size-limit report 📦\n\n"
                "| Path | Size |\n| --- | --- |\n"
                "| dist/index.js | 9.81 KB (+0.51% 🔺) |\n"
            ),
        ),
    ),
)

PR_LOGO = PullSpec(
    title="docs: replace logo with the optimized PNG",
    body=(
        "The new logo from the brand refresh, run through `oxipng -o max`. Also fixes "
        "the README rendering it at 120px, which made it blurry on GitHub's dark theme."
    ),
    author="rafaelcosta",
    author_association="MEMBER",
    branch="docs/new-logo",
    labels=("docs",),
    changes=(
        FileChange(LOGO, binary=_LOGO_V2),
        FileChange(
            "README.md",
            edits=(
                Edit(
                    '<img src="docs/assets/logo.png" alt="paperkite" width="120">',
                    '<img src="docs/assets/logo.png" alt="paperkite logo" '
                    'width="96" height="96">',
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="alt",
            author="a11y-sam",
            association="COLLABORATOR",
            path="README.md",
            anchor='alt="paperkite logo"',
            body=(
                'Tiny thing: screen readers already say "image", so "logo" is a '
                "bit "
                'redundant; `alt="paperkite"` was fine. Not worth a round trip '
                "though."
            ),
        ),
        Comment(
            key="lgtm",
            author="mira-lindqvist",
            association="OWNER",
            path="README.md",
            anchor='width="96" height="96">',
            body="LGTM",
        ),
    ),
    conversation=(IssueComment(author="keiko-t", body="🎉"),),
)

_BUTTON_LOADING_TEST = """\
  it("marks itself busy and ignores clicks while loading", async () => {
    const onClick = vi.fn();
    render(
      <Button loading onClick={onClick}>
        Save
      </Button>,
    );
    const button = screen.getByRole("button", { name: "Save" });
    expect(button).toHaveAttribute("aria-busy", "true");
    await userEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });
});
"""

PR_BUTTON_LOADING = PullSpec(
    title="Button: add a loading state",
    body=(
        "Adds `loading` to `Button`: shows a spinner in place of the icon, sets "
        "`aria-busy` and blocks clicks so forms can't be submitted twice."
    ),
    author="devonw",
    branch="feature/button-loading",
    labels=("enhancement",),
    changes=(
        FileChange(
            BUTTON,
            edits=(
                Edit(
                    "  fullWidth?: boolean;\n}\n",
                    "  fullWidth?: boolean;\n"
                    "  /** Shows a spinner and blocks clicks, e.g. while saving. */\n"
                    "  loading?: boolean;\n"
                    "}\n",
                ),
                Edit(
                    '    type = "button",\n',
                    '    type = "button",\n    loading = false,\n    disabled,\n',
                ),
                Edit(
                    "      {...rest}\n    >\n"
                    '      {icon && <span className="pk-button__icon">{icon}</span>}\n',
                    "      {...rest}\n"
                    "      disabled={disabled || loading}\n"
                    "      aria-busy={loading || undefined}\n"
                    "    >\n"
                    "      {loading ? (\n"
                    '        <span className="pk-button__spinner" aria-hidden="true" '
                    "/>\n"
                    "      ) : (\n"
                    '        icon && <span className="pk-button__icon">{icon}</span>\n'
                    "      )}\n",
                ),
            ),
        ),
        FileChange(
            BUTTON_TEST,
            edits=(
                Edit(
                    "    expect(onSubmit).not.toHaveBeenCalled();\n  });\n});\n",
                    "    expect(onSubmit).not.toHaveBeenCalled();\n  });\n\n"
                    + _BUTTON_LOADING_TEST,
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            BUTTON,
            edits=(
                Edit("    disabled,\n", "    disabled,\n    onClick,\n"),
                Edit(
                    "      disabled={disabled || loading}\n"
                    "      aria-busy={loading || undefined}\n",
                    "      disabled={disabled}\n"
                    "      aria-disabled={loading || undefined}\n"
                    "      aria-busy={loading || undefined}\n"
                    "      onClick={loading ? (event) => event.preventDefault() : "
                    "onClick}\n",
                ),
            ),
        ),
    ),
    fixup_message="Keep loading buttons focusable with aria-disabled",
    comments=(
        Comment(
            key="disabled-focus",
            author="a11y-sam",
            association="COLLABORATOR",
            path=BUTTON,
            anchor="disabled={disabled || loading}",
            outdated=True,
            body=(
                "Setting the real `disabled` attribute while loading removes the "
                "button from the tab order *while it has focus*. Browsers then move "
                "focus to `<body>`, and screen reader users lose their place right "
                "after pressing Save. Use `aria-disabled` and swallow the click "
                "instead; it stays focusable and is still announced as dimmed."
            ),
        ),
        Comment(
            key="disabled-focus-reply",
            author="devonw",
            association="CONTRIBUTOR",
            reply_to="disabled-focus",
            outdated=True,
            body=(
                "TIL. Done: `aria-disabled` plus a no-op click handler while loading. "
                "`disabled` still maps to the real attribute."
            ),
        ),
        Comment(
            key="spread-order",
            author="jonah-b",
            path=BUTTON,
            start_anchor="{...rest}",
            anchor="aria-busy={loading || undefined}",
            body=(
                "These come after `{...rest}`, so a consumer passing `aria-busy` "
                "explicitly (we do in the upload form) gets overridden silently. "
                "Probably right for `loading`-driven attributes, but worth a note in "
                "the prop docs."
            ),
        ),
        Comment(
            key="announce",
            author="a11y-sam",
            association="COLLABORATOR",
            path=BUTTON,
            anchor='<span className="pk-button__spinner" aria-hidden="true" />',
            body=(
                "`aria-busy` on a button is not announced by VoiceOver or NVDA. If we "
                "want users to know something is happening, a visually hidden live "
                'region ("Saving…") is the reliable way. Could be a follow-up with a '
                "`loadingLabel` prop."
            ),
        ),
        Comment(
            key="test",
            author="keiko-t",
            path=BUTTON,
            anchor="loading?: boolean;",
            body=(
                "Please also test that a loading button keeps focus when `loading` "
                "flips to true, since that's the bug we just avoided."
            ),
        ),
        Comment(
            key="test-reply",
            author="devonw",
            association="CONTRIBUTOR",
            reply_to="test",
            body=(
                "jsdom doesn't move focus when an element becomes disabled, so that "
                "test would pass with or without the fix. I added it to the Playwright "
                "a11y suite in the app repo instead."
            ),
        ),
        Comment(
            key="sonar",
            author="sonarcloud[bot]",
            author_type="Bot",
            association="NONE",
            path=BUTTON,
            anchor='icon && <span className="pk-button__icon">{icon}</span>',
            body=(
                "**Bug** (Major): Convert the conditional to a boolean to avoid leaked "
                "value. A falsy non-boolean `icon` (e.g. `0`) would be rendered.\n\n"
                "[See rule typescript:S6439](https://sonarcloud.io/organizations/"
                "paperkite/rules?open=typescript%3AS6439)"
            ),
        ),
    ),
)

PR_STYLED = PullSpec(
    title="Migrate Button styles to styled-components",
    body=(
        "Hi! First PR here. Our app uses styled-components everywhere and it's hard to "
        "override paperkite's CSS classes. This moves `Button` to styled-components "
        "as a first step; if you like it I can migrate the rest."
    ),
    author="zed-harper",
    author_association="FIRST_TIME_CONTRIBUTOR",
    branch="styled-components-button",
    state="closed",
    labels=("enhancement",),
    changes=(
        FileChange(
            "package.json",
            edits=(
                Edit(
                    '  "peerDependencies": {\n',
                    '  "dependencies": {\n'
                    '    "styled-components": "^6.1.8"\n'
                    "  },\n"
                    '  "peerDependencies": {\n',
                ),
            ),
        ),
        FileChange(
            BUTTON,
            edits=(
                Edit(
                    'import { cx } from "../utils/cx";\n',
                    'import styled from "styled-components";\n'
                    'import { cx } from "../utils/cx";\n'
                    "\n"
                    "const StyledButton = styled.button<{ $variant: ButtonVariant "
                    "}>`\n"
                    "  border-radius: 6px;\n"
                    "  padding: 0 12px;\n"
                    '  background: ${(p) => (p.$variant === "primary" ? '
                    '"#2b6cb0" : "transparent")};\n'
                    "`;\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="runtime",
            author="mira-lindqvist",
            association="OWNER",
            path="package.json",
            anchor='"styled-components": "^6.1.8"',
            body=(
                "Thanks for the PR! I have to push back on the direction though: "
                "runtime CSS-in-JS means every consumer pays for style injection on "
                "render, it doesn't work in React Server Components, and it adds "
                "~12 kB gzipped to a library whose budget is 12 kB total."
            ),
        ),
        Comment(
            key="peer",
            author="jonah-b",
            path="package.json",
            anchor='"dependencies": {',
            body=(
                "If we ever did this, `styled-components` would have to be a peer "
                "dependency; as a regular dependency apps that already use it get two "
                "copies and `ThemeProvider` context doesn't reach our components."
            ),
        ),
        Comment(
            key="hex",
            author="keiko-t",
            path=BUTTON,
            anchor='"#2b6cb0" : "transparent")};',
            body=(
                "Hard-coded colors bypass the design tokens; the CSS uses "
                "`var(--pk-color-primary)` so themes can override it."
            ),
        ),
        Comment(
            key="vars",
            author="rafaelcosta",
            path=BUTTON,
            anchor="const StyledButton = styled.button<{ $variant: ButtonVariant }>`",
            body=(
                "For the override use case: every component reads CSS custom "
                "properties (`--pk-button-radius`, `--pk-button-bg`, ...). Setting "
                "those in a styled-components wrapper works today without changes "
                "here."
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="github-actions[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "### size-limit report 📦\n\n"
                "| Path | Size |\n| --- | --- |\n"
                "| dist/index.js | 22.18 KB (+127.35% 🔺) |\n\n"
                "❌ Size limit exceeded: 22.18 KB > 12 kB"
            ),
        ),
        IssueComment(
            author="zed-harper",
            association="FIRST_TIME_CONTRIBUTOR",
            body=(
                "That makes sense, I didn't know about the CSS variables. I'll use "
                "those in our wrapper. Closing, thanks for the quick review!"
            ),
        ),
    ),
)

_MEDIA_QUERY_V1 = """\
import { useEffect, useState } from "react";

/** Tracks whether `query` (e.g. "(max-width: 600px)") currently matches. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);

  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addListener(onChange);
    return () => list.removeListener(onChange);
  }, [query]);

  return matches;
}
"""

_MEDIA_QUERY_V2 = """\
import { useEffect, useState } from "react";

const isBrowser = typeof window !== "undefined";

/**
 * Tracks whether `query` (e.g. "(max-width: 600px)") currently matches.
 * Returns `false` during server rendering.
 */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() =>
    isBrowser ? window.matchMedia(query).matches : false,
  );

  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    // Safari < 14 only has the deprecated addListener/removeListener.
    const legacy = !list.addEventListener;
    if (legacy) list.addListener(onChange);
    else list.addEventListener("change", onChange);
    return () => {
      if (legacy) list.removeListener(onChange);
      else list.removeEventListener("change", onChange);
    };
  }, [query]);

  return matches;
}
"""

PR_MEDIA_QUERY = PullSpec(
    title="Add useMediaQuery hook",
    body=(
        "We have three copies of this in the app repo. `Table` will use it to switch "
        "to the stacked layout on small screens."
    ),
    author="li-wen",
    branch="feature/use-media-query",
    labels=("enhancement",),
    changes=(
        FileChange(MEDIA_QUERY, content=_MEDIA_QUERY_V1),
        FileChange(
            INDEX,
            edits=(
                Edit(
                    'export { useFocusTrap } from "./hooks/useFocusTrap";\n',
                    'export { useFocusTrap } from "./hooks/useFocusTrap";\n'
                    'export { useMediaQuery } from "./hooks/useMediaQuery";\n',
                ),
            ),
        ),
    ),
    fixups=(FileChange(MEDIA_QUERY, content=_MEDIA_QUERY_V2),),
    fixup_message="Make useMediaQuery SSR-safe and prefer addEventListener",
    comments=(
        Comment(
            key="ssr",
            author="keiko-t",
            path=MEDIA_QUERY,
            anchor="useState(() => window.matchMedia(query).matches);",
            outdated=True,
            body=(
                "This throws `ReferenceError: window is not defined` during SSR. The "
                "initializer runs on the server too. Needs a `typeof window` guard "
                "(and the hydration mismatch that follows is the caller's problem, "
                "but we should document it)."
            ),
        ),
        Comment(
            key="ssr-reply",
            author="li-wen",
            association="CONTRIBUTOR",
            reply_to="ssr",
            outdated=True,
            body="Done, returns `false` on the server and the JSDoc says so.",
        ),
        Comment(
            key="deprecated",
            author="jonah-b",
            path=MEDIA_QUERY,
            anchor="    list.addListener(onChange);",
            outdated=True,
            body=(
                "`addListener`/`removeListener` are deprecated; "
                '`addEventListener("change", ...)` is supported everywhere we care '
                "about."
            ),
        ),
        Comment(
            key="deprecated-reply",
            author="li-wen",
            association="CONTRIBUTOR",
            reply_to="deprecated",
            outdated=True,
            body=(
                "Not quite everywhere: our browserslist still resolves to iOS Safari "
                "13.4 because of two enterprise customers, and `MediaQueryList` only "
                "got `addEventListener` in Safari 14. I feature-detect now and keep "
                "the old API as fallback."
            ),
        ),
        Comment(
            key="sync",
            author="rafaelcosta",
            path=MEDIA_QUERY,
            anchor="onChange();",
            body=(
                "Good call re-reading on query change; without it the hook returned "
                "the "
                "previous query's result until the next resize.\n\n"
                "Longer term this is what `useSyncExternalStore` is for (it also gives "
                "us `getServerSnapshot`), but that's a bigger change."
            ),
        ),
        Comment(
            key="lgtm",
            author="mira-lindqvist",
            association="OWNER",
            path=INDEX,
            anchor='export { useMediaQuery } from "./hooks/useMediaQuery";',
            body="Looks good to me",
        ),
    ),
)

PULLS = (
    PR_BUTTON_TYPE,
    PR_STALE_CLOSE,
    PR_TABLE_SORT,
    PR_RTL_BUMP,
    PR_DEBOUNCE_CB,
    PR_FOCUS_TRAP,
    PR_TABLE_RAF,
    PR_LOGO,
    PR_BUTTON_LOADING,
    PR_STYLED,
    PR_MEDIA_QUERY,
)

REPO = RepoSpec(
    owner="paperkite",
    name="paperkite-ui",
    language="TypeScript",
    description="Accessible React components: buttons, modals with a real focus trap, "
    "and a virtualized table.",
    stars=1874,
    license_spdx="MIT",
    topics=("react", "typescript", "component-library", "accessibility", "a11y"),
    created_at="2023-01-09T14:02:11Z",
    files=FILES,
    pulls=PULLS,
    issues=ISSUES,
    binary_files={LOGO: _LOGO_V1},
)
