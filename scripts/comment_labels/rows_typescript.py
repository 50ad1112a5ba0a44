"""Hand-labelled review comments from TypeScript repositories.

Each row is ``(id, repo, category, body, diff_hunk)``; ``diff_hunk`` is ``""`` for
comments made on the pull request as a whole.
"""

from __future__ import annotations

FD = "functional_defect"
RD = "refactoring_design"
DOC = "documentation"
STY = "style_nit"
Q = "question_discussion"
PR = "praise_noise"

LANTERN = "lanternhq/lantern-ui"
CHARTS = "pixelforge/canvas-charts"
EDGE = "driftwood/edge-cache"
MEADOW = "meadow-dev/meadow-cli"

REPOS = {
    LANTERN: "TypeScript",
    CHARTS: "TypeScript",
    EDGE: "TypeScript",
    MEADOW: "TypeScript",
}

ROWS = [
    # lanternhq/lantern-ui: React component library
    (
        1501,
        LANTERN,
        FD,
        "`handleKey` is recreated on every render, but the effect has no deps "
        "array, so it adds a new listener each render and the cleanup only "
        "removes the one from the previous render *after* the next is added. "
        "Open the dialog, type a bit, press Escape: `onClose` fires several times.",
        """\
@@ -24,6 +24,14 @@ export function Dialog({ open, onClose, children }: DialogProps) {
+  const handleKey = (e: KeyboardEvent) => {
+    if (e.key === "Escape") onClose();
+  };
+
+  useEffect(() => {
+    document.addEventListener("keydown", handleKey);
+    return () => document.removeEventListener("keydown", handleKey);
+  });
""",
    ),
    (
        1502,
        LANTERN,
        FD,
        """\
Clicking an item inside the menu also hits this `mousedown` handler. The target \
isn't inside `triggerRef`, so we close the menu *before* the item's `click` fires \
and `onSelect` is never called.

Needs `menuRef.current?.contains(target)` in the check as well.
""",
        """\
@@ -40,6 +40,11 @@ export function Menu({ trigger, children, onSelect }: MenuProps) {
+  useEffect(() => {
+    const onDown = (e: MouseEvent) => {
+      if (!triggerRef.current?.contains(e.target as Node)) setOpen(false);
+    };
+    document.addEventListener("mousedown", onDown);
""",
    ),
    (
        1503,
        LANTERN,
        RD,
        "`Select`, `Combobox` and `Autocomplete` each have their own copy of the "
        "arrow-key/Home/End reducer, and they've already diverged (only `Select` "
        "wraps around). A shared `useListNavigation` hook would keep them "
        "consistent.",
        """\
@@ -50,6 +50,12 @@ export function Combobox<T>(props: ComboboxProps<T>) {
+  const onKeyDown = (e: React.KeyboardEvent) => {
+    switch (e.key) {
+      case "ArrowDown":
+        setActive((i) => Math.min(i + 1, options.length - 1));
""",
    ),
    (
        1504,
        LANTERN,
        STY,
        "nit: the rest of the package declares props with `type`, not `interface`.",
        """\
@@ -3,5 +3,9 @@ import { forwardRef } from "react";
+export interface BadgeProps {
+  tone?: Tone;
+  children: React.ReactNode;
+}
""",
    ),
    (
        1505,
        LANTERN,
        DOC,
        "The Storybook docs for `Tooltip` still describe a `delay` prop; it's "
        "`openDelay` / `closeDelay` after this PR.",
        """\
@@ -12,6 +12,6 @@ const meta: Meta<typeof Tooltip> = {
   argTypes: {
-    delay: { control: "number" },
+    openDelay: { control: "number" },
""",
    ),
    (
        1506,
        LANTERN,
        Q,
        "Should `Button` forward its `ref` to the `<button>`? Radix-style "
        "composition (`asChild`) would need it, but I'm not sure we want to "
        "commit to that API yet.",
        """\
@@ -5,6 +5,8 @@ export type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement
+export function Button({ variant = "solid", ...rest }: ButtonProps) {
+  return <button className={cls(variant)} {...rest} />;
""",
    ),
    (
        1507,
        LANTERN,
        PR,
        "LGTM! The new focus ring looks great.",
        """\
@@ -12,6 +12,6 @@ const meta: Meta<typeof Tooltip> = {
   argTypes: {
-    delay: { control: "number" },
+    openDelay: { control: "number" },
""",
    ),
    (
        1508,
        LANTERN,
        FD,
        "`key={index}` on a list that can be reordered by drag & drop makes "
        "React reuse the wrong `<Row>` state — the expanded row jumps to another "
        "item after a drag. Use `item.id`.",
        """\
@@ -60,5 +60,7 @@ export function SortableList<T extends Item>(props: Props<T>) {
       {items.map((item, index) => (
+        <Row key={index} item={item} onToggle={onToggle} />
       ))}
""",
    ),
    (
        1509,
        LANTERN,
        RD,
        "This `useMemo` never hits: `columns` is a fresh array literal from every "
        "caller on every render. Either document that callers must memoise it, "
        "or key the memo on something stable like the column keys.",
        """\
@@ -30,5 +30,8 @@ export function DataTable<T>({ columns, rows }: DataTableProps<T>) {
+  const layout = useMemo(() => computeLayout(columns, width), [columns, width]);
""",
    ),
    (
        1510,
        LANTERN,
        FD,
        "`document` at module scope breaks SSR — importing the package in Next.js "
        "throws `ReferenceError: document is not defined`. Create the portal root "
        "lazily inside the effect.",
        """\
@@ -1,5 +1,7 @@
 import { createPortal } from "react-dom";
+
+const portalRoot = document.getElementById("lantern-portal") ?? document.body;
""",
    ),
    (
        1511,
        LANTERN,
        STY,
        """\
nit: the computed key isn't needed
```suggestion
  const cls = cx("btn", { "btn--primary": primary });
```
""",
        """\
@@ -18,4 +18,5 @@ export const Button = forwardRef<HTMLButtonElement, ButtonProps>(
+  const cls = cx("btn", { ["btn--primary"]: primary });
""",
    ),
    (
        1512,
        LANTERN,
        DOC,
        "The TSDoc for `size` lists `'sm' | 'md' | 'lg'`, but the type accepts "
        "`'xs'` as well now.",
        """\
@@ -8,6 +8,6 @@ export type ButtonProps = {
   /** Visual size: `'sm' | 'md' | 'lg'`. Defaults to `'md'`. */
-  size?: "sm" | "md" | "lg";
+  size?: "xs" | "sm" | "md" | "lg";
""",
    ),
    (
        1513,
        LANTERN,
        RD,
        '`variant` and `color` overlap almost completely now (`variant="danger"` '
        'vs `color="red"`). Before this goes out in a minor, can we settle on '
        "one? Removing the other later is a breaking change.",
        """\
@@ -8,5 +8,7 @@ export type ButtonProps = {
   variant?: "solid" | "outline" | "ghost" | "danger";
+  color?: "gray" | "blue" | "red" | "green";
""",
    ),
    (
        1514,
        LANTERN,
        Q,
        "Is there a reason to keep the toast queue in context rather than an "
        "external store with `useSyncExternalStore`? With context every new "
        "toast re-renders the provider subtree. Genuinely asking — it may not "
        "matter at our scale.",
        """\
@@ -10,6 +10,9 @@ export function ToastProvider({ children }: ToastProviderProps) {
+  const [toasts, setToasts] = useState<Toast[]>([]);
+  const push = useCallback((t: Toast) => setToasts((ts) => [...ts, t]), []);
""",
    ),
    (1515, LANTERN, PR, "thanks!", ""),
    (
        1516,
        LANTERN,
        FD,
        '`e.target.value` is a string even for `type="number"`, and the `as any` '
        "hides that from the `(value: number) => void` signature. Consumers doing "
        '`value + 1` get `"41"` instead of `5`. Use `e.target.valueAsNumber`.',
        """\
@@ -28,5 +28,6 @@ export function NumberInput({ value, onChange, ...rest }: Props) {
       type="number"
+      onChange={(e) => onChange(e.target.value as any)}
""",
    ),
    (
        1517,
        LANTERN,
        STY,
        "`React` default import is unused with the automatic JSX runtime.",
        """\
@@ -1,3 +1,4 @@
+import React from "react";
 import { useId } from "react";
""",
    ),
    (
        1518,
        LANTERN,
        RD,
        "`Tag.module.css` is a near line-for-line copy of `Badge.module.css`. "
        "Could `Tag` render a `Badge` and only add the close button?",
        """\
@@ -0,0 +1,24 @@
+.tag {
+  display: inline-flex;
+  align-items: center;
+  border-radius: var(--lantern-radius-sm);
""",
    ),
    (
        1519,
        LANTERN,
        DOC,
        "Missing a changeset — please run `pnpm changeset` so this shows up in "
        "the release notes.",
        "",
    ),
    (
        1520,
        LANTERN,
        Q,
        "Should we check `prefers-reduced-motion` here, or leave motion "
        "preferences to the consuming app?",
        """\
@@ -14,5 +14,7 @@ export function Collapse({ open, children }: CollapseProps) {
+  const style = { transition: "height 200ms ease-out", height };
""",
    ),
    (
        1521,
        LANTERN,
        RD,
        "`Popover`, `Tooltip` and `Menu` each do their own "
        "`getBoundingClientRect` positioning math, and only `Tooltip` flips at "
        "the viewport edge. One internal `usePosition` (or Floating UI) would "
        "make them behave the same.",
        """\
@@ -30,6 +30,12 @@ export function Popover({ anchor, children }: PopoverProps) {
+  useLayoutEffect(() => {
+    const rect = anchor.current!.getBoundingClientRect();
+    setPos({ top: rect.bottom + 4, left: rect.left });
+  }, [anchor]);
""",
    ),
    # pixelforge/canvas-charts: canvas charting library
    (
        1601,
        CHARTS,
        FD,
        "`ctx.scale` multiplies the existing transform, and `resize()` runs on "
        "every window resize — so after a couple of resizes everything is drawn "
        "at 4×, 8×... Use `ctx.setTransform(dpr, 0, 0, dpr, 0, 0)` instead.",
        """\
@@ -40,6 +40,9 @@ export class Renderer {
   resize(width: number, height: number) {
     const dpr = window.devicePixelRatio || 1;
     this.canvas.width = width * dpr;
+    this.ctx.scale(dpr, dpr);
""",
    ),
    (
        1602,
        CHARTS,
        FD,
        "Spreading the array into `Math.min(...values)` overflows the call stack "
        "for large series (Chrome gives up somewhere above 100k arguments). A "
        "plain loop computing min and max in one pass avoids that.",
        """\
@@ -10,5 +10,7 @@ export function extent(values: number[]): [number, number] {
+  return [Math.min(...values), Math.max(...values)];
""",
    ),
    (
        1603,
        CHARTS,
        RD,
        "`AreaSeries.draw` copies the whole path-building loop from "
        "`LineSeries.draw`. A shared `tracePath(ctx, points, curve)` that both "
        "call — Area then closes and fills — would keep curve handling in one "
        "place.",
        """\
@@ -20,6 +20,18 @@ export class AreaSeries extends Series {
   draw(ctx: CanvasRenderingContext2D) {
+    ctx.beginPath();
+    this.points.forEach((p, i) => {
+      const [x, y] = this.project(p);
+      if (i === 0) ctx.moveTo(x, y);
+      else ctx.lineTo(x, y);
""",
    ),
    (
        1604,
        CHARTS,
        STY,
        "nit: `const`, it's never reassigned.",
        """\
@@ -55,4 +55,5 @@ export class Axis {
+    let ticks = niceTicks(this.min, this.max, this.count);
""",
    ),
    (
        1605,
        CHARTS,
        DOC,
        "The README shows `yScale: 'log'`, but `ScaleType` only has "
        "`'linear' | 'logarithmic' | 'time'`, so the example doesn't type-check.",
        """\
@@ -60,5 +60,6 @@ const chart = new Chart(canvas, {
   series: [{ data }],
+  yScale: "log",
 });
""",
    ),
    (
        1606,
        CHARTS,
        Q,
        "Should the tooltip snap to the nearest point along x, or the nearest "
        "point in 2D? Chart.js defaults to x; I don't have a strong preference.",
        """\
@@ -40,6 +40,9 @@ export class Tooltip {
+  private nearest(cursor: Point): Datum | undefined {
+    return this.chart.series[0].nearestX(cursor.x);
+  }
""",
    ),
    (1607, CHARTS, PR, "Looks great, thanks! 🎨", ""),
    (
        1608,
        CHARTS,
        FD,
        "With a `0` in the data `Math.log10(0)` is `-Infinity`, the projected y "
        "is `NaN`, and canvas silently drops the rest of the path. Non-positive "
        "values need to be skipped (gap) or clamped to the domain minimum.",
        """\
@@ -18,5 +18,6 @@ export class LogScale implements Scale {
   project(value: number): number {
+    const t = (Math.log10(value) - this.logMin) / (this.logMax - this.logMin);
""",
    ),
    (
        1609,
        CHARTS,
        RD,
        "Redrawing every series on each `mousemove` just to move the crosshair is "
        "why this janks with 50k points. Render the series once to a background "
        "layer (second canvas or `OffscreenCanvas`) and only repaint the overlay.",
        """\
@@ -80,6 +80,9 @@ export class Chart {
   private onMouseMove = (e: MouseEvent) => {
     this.cursor = this.toDataCoords(e);
+    this.render();
""",
    ),
    (
        1610,
        CHARTS,
        FD,
        "`destroy()` doesn't disconnect the `ResizeObserver`, so the chart keeps "
        "the detached canvas alive and keeps redrawing into it. In an SPA that "
        "mounts and unmounts charts this leaks one chart per navigation.",
        """\
@@ -120,5 +120,8 @@ export class Chart {
   destroy() {
+    this.canvas.removeEventListener("mousemove", this.onMouseMove);
+    this.series = [];
   }
""",
    ),
    (
        1611,
        CHARTS,
        STY,
        "nit: `===`",
        """\
@@ -33,4 +33,5 @@ export class Legend {
+      if (item.series.id == this.hovered) {
""",
    ),
    (
        1612,
        CHARTS,
        DOC,
        "`formatTick` is exported from the index now — could you add a TSDoc "
        "comment explaining `locale` (BCP 47 tag? defaults to the browser's?)",
        """\
@@ -1,5 +1,7 @@
+export function formatTick(value: number, locale?: string): string {
+  return new Intl.NumberFormat(locale, { notation: "compact" }).format(value);
""",
    ),
    (
        1613,
        CHARTS,
        RD,
        "`ChartOptions` is a flat interface with 46 optional fields and "
        "`mergeDefaults` special-cases half of them. Grouping into `axes`, "
        "`legend` and `tooltip` objects would make deep-merging defaults much "
        "less error-prone.",
        """\
@@ -5,6 +5,9 @@ export interface ChartOptions {
   legendPosition?: "top" | "bottom" | "left" | "right";
+  legendMaxItems?: number;
+  tooltipFormatter?: (p: Point) => string;
+  xAxisLabelRotation?: number;
""",
    ),
    (
        1614,
        CHARTS,
        Q,
        "Has anyone thought about rendering in a worker via `OffscreenCanvas`? "
        "Not for this PR, but it would change how we structure `Renderer`.",
        "",
    ),
    (
        1615,
        CHARTS,
        FD,
        "When `min === max` (a flat series) `step` is 0 and this `while` loop "
        "never terminates — the tab freezes. Pad the domain before computing "
        "ticks.",
        """\
@@ -5,6 +5,12 @@ export function niceTicks(min: number, max: number, count = 5) {
+  const step = niceStep((max - min) / count);
+  const ticks: number[] = [];
+  let v = Math.ceil(min / step) * step;
+  while (v <= max) {
+    ticks.push(v);
+    v += step;
""",
    ),
    (
        1616,
        CHARTS,
        PR,
        "Fixed 👍",
        """\
@@ -5,6 +5,12 @@ export function niceTicks(min: number, max: number, count = 5) {
+  const step = niceStep((max - min) / count);
+  const ticks: number[] = [];
+  let v = Math.ceil(min / step) * step;
+  while (v <= max) {
+    ticks.push(v);
+    v += step;
""",
    ),
    (
        1617,
        CHARTS,
        STY,
        """\
```suggestion
    const position = options.legend?.position ?? "top";
```
""",
        """\
@@ -50,4 +50,6 @@ export class Chart {
+    const position =
+      (options.legend && options.legend.position) || "top";
""",
    ),
    (
        1618,
        CHARTS,
        RD,
        "The default palette is hard-coded in `LineSeries`, `BarSeries` and "
        "`PieSeries`. Moving it into the theme would give one source of truth and "
        "let users override it.",
        """\
@@ -8,4 +8,5 @@ export class BarSeries extends Series {
+  private colors = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2"];
""",
    ),
    (
        1619,
        CHARTS,
        DOC,
        "The changelog entry is marked **BREAKING**, but this only adds an "
        "optional prop. Let's not scare people into pinning.",
        """\
@@ -1,5 +1,7 @@
 ## Unreleased
+
+- **BREAKING**: `Legend` accepts a `maxItems` option.
""",
    ),
    (
        1620,
        CHARTS,
        RD,
        "Every series subclass clears its projected `points` cache by hand in "
        "`setData`, `setScale` and `resize`. A `dirty` flag managed by the "
        "`Series` base class would make that automatic.",
        """\
@@ -15,6 +15,9 @@ export class BarSeries extends Series {
   setData(data: Datum[]) {
     this.data = data;
+    this.points = undefined;
""",
    ),
    (1621, CHARTS, PR, "@pixelforge-bot run visual-regression", ""),
    # driftwood/edge-cache: HTTP caching for edge functions
    (
        1701,
        EDGE,
        FD,
        "The key doesn't include anything from `Vary`, so a brotli-encoded body "
        "stored for one client is served to another that only accepts gzip. At "
        "minimum fold `Accept-Encoding` into the key when the response varies on "
        "it.",
        """\
@@ -12,5 +12,7 @@ export function cacheKey(req: Request): string {
   const url = new URL(req.url);
+  return `${req.method}:${url.origin}${url.pathname}${url.search}`;
""",
    ),
    (
        1702,
        EDGE,
        FD,
        "`storedAt` is milliseconds (`Date.now()`), but `ttl` comes from "
        "`max-age`, which is seconds — so entries expire after `max-age` ms, "
        "i.e. basically immediately. Multiply by 1000.",
        """\
@@ -30,5 +30,6 @@ export function isFresh(entry: Entry, now = Date.now()) {
+  return now - entry.storedAt < entry.ttl;
""",
    ),
    (
        1703,
        EDGE,
        RD,
        "`handleRequest` is ~150 lines now: key derivation, freshness, "
        "revalidation and metrics all inline. Pulling out pure "
        "`isFresh(entry, now)` and `revalidate(req, entry)` helpers would make "
        "them testable without mocking `Request`.",
        """\
@@ -45,6 +45,30 @@ export async function handleRequest(req: Request, env: Env, ctx: Ex
+  const key = cacheKey(req);
+  const started = Date.now();
+  const entry = await store.get(key);
""",
    ),
    (
        1704,
        EDGE,
        STY,
        "nit: nothing is awaited here, the `async` can go.",
        """\
@@ -44,4 +44,5 @@ export class MemoryStore implements CacheStore {
+  async delete(key: string) {
+    this.map.delete(key);
""",
    ),
    (
        1705,
        EDGE,
        DOC,
        "The comment says `staleWhileRevalidate` is in milliseconds, but it's "
        "seconds like the `Cache-Control` directive (and that's how "
        "`isStaleUsable` treats it).",
        """\
@@ -8,5 +8,7 @@ export interface CacheOptions {
+  /** How long (ms) a stale entry may be served while revalidating. */
+  staleWhileRevalidate?: number;
""",
    ),
    (
        1706,
        EDGE,
        Q,
        "Should we store responses that carry `Set-Cookie` at all? RFC 9111 "
        "allows shared caches to, but most CDNs won't by default. I'd rather be "
        "conservative — opinions?",
        """\
@@ -20,6 +20,7 @@ export function isCacheable(res: Response): boolean {
   if (res.status !== 200) return false;
   const cc = parseCacheControl(res.headers.get("Cache-Control"));
+  if (cc.private || cc["no-store"]) return false;
""",
    ),
    (1707, EDGE, PR, "LGTM 🚀", ""),
    (
        1708,
        EDGE,
        FD,
        "The revalidation promise isn't passed to `ctx.waitUntil`, so the runtime "
        "is free to kill it once the response is sent. In practice stale entries "
        "never get refreshed.",
        """\
@@ -60,6 +60,8 @@ export async function handleRequest(req: Request, env: Env, ctx: Ex
     if (isStaleUsable(entry, now)) {
+      revalidate(req, entry, env);
       return withCacheStatus(entry.response, "STALE");
""",
    ),
    (
        1709,
        EDGE,
        RD,
        "SHA-256 of every URL on every request is overkill: the URL already is a "
        "unique key and KV accepts up to 512 bytes. Hash only when the key is "
        "too long.",
        """\
@@ -14,5 +14,7 @@ export async function storageKey(key: string): Promise<string> {
+  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(key));
+  return hex(digest);
""",
    ),
    (
        1710,
        EDGE,
        FD,
        "`cache.put` consumes the body, and then we hand the same `response` to "
        "the client → `TypeError: Body has already been used`. Put a "
        "`response.clone()` in the cache.",
        """\
@@ -72,5 +72,7 @@ export async function handleRequest(req: Request, env: Env, ctx: Ex
     const response = await fetch(req);
+    await store.put(key, response);
+    return response;
""",
    ),
    (
        1711,
        EDGE,
        STY,
        "nit: template literal instead of `+` concatenation.",
        """\
@@ -20,4 +20,5 @@ export function withCacheStatus(res: Response, status: string) {
+  headers.set("X-Cache", "edge-cache; " + status + "; age=" + age);
""",
    ),
    (
        1712,
        EDGE,
        DOC,
        "The README example imports from `edge-cache/dist/index`; it should be "
        "the package root, `dist/` isn't part of the public API (and isn't in "
        "`exports`).",
        """\
@@ -18,5 +18,5 @@ Usage
 ```ts
+import { handleRequest } from "edge-cache/dist/index";
 ```
""",
    ),
    (
        1713,
        EDGE,
        RD,
        "Instead of the `if (env.KV)` checks sprinkled through the handler, "
        "could `CacheStore` be an interface (`get/put/delete`) with a KV and a "
        "memory implementation picked once at startup?",
        """\
@@ -50,6 +50,10 @@ export async function handleRequest(req: Request, env: Env, ctx: Ex
+  const entry = env.KV
+    ? await readFromKv(env.KV, key)
+    : memory.get(key);
""",
    ),
    (
        1714,
        EDGE,
        Q,
        "How should `Cache-Control: no-store` on the *request* be handled — "
        "bypass entirely, or still store the response for other clients? The "
        "spec reads a bit ambiguously to me.",
        "",
    ),
    (
        1715,
        EDGE,
        FD,
        """\
`split("=")[1]` on `public, max-age=600, s-maxage=60` gives `"600, s-maxage"`, \
which `parseInt` turns into 600 — so `s-maxage` (which should win for a shared \
cache) is ignored. It also breaks whenever another directive with `=` comes first.

Could we parse the directives into a map properly?
""",
        """\
@@ -40,5 +40,7 @@ export function ttlFrom(res: Response): number {
   const header = res.headers.get("Cache-Control") ?? "";
+  return parseInt(header.split("=")[1], 10) || 0;
""",
    ),
    (1716, EDGE, PR, "Thanks for the review, updated.", ""),
    (
        1717,
        EDGE,
        STY,
        "Use `import type` here (`consistent-type-imports`).",
        """\
@@ -1,3 +1,4 @@
+import { Entry, CacheOptions } from "./types";
 import { isFresh } from "./freshness";
""",
    ),
    (
        1718,
        EDGE,
        RD,
        "`metrics` is now threaded through every function as the trailing "
        "parameter. Making the handler a small class with `this.metrics` (or "
        "passing one context object) would declutter all these signatures.",
        """\
@@ -10,6 +10,7 @@ export async function revalidate(
   req: Request,
   entry: Entry,
   env: Env,
+  metrics: Metrics,
 ) {
""",
    ),
    (
        1719,
        EDGE,
        DOC,
        'Typo in the doc comment: "revalidaton".',
        """\
@@ -85,4 +85,6 @@ export async function handleRequest(req: Request, env: Env, ctx: Ex
+/** Fetches a fresh copy and replaces the entry; used for background revalidaton. */
""",
    ),
    (
        1720,
        EDGE,
        Q,
        "Would it make sense to expose the cache status as `X-Cache: "
        "HIT|MISS|STALE` by default? Great for debugging, but it does leak a "
        "little information about other users' traffic.",
        """\
@@ -20,4 +20,5 @@ export function withCacheStatus(res: Response, status: string) {
+  headers.set("X-Cache", "edge-cache; " + status + "; age=" + age);
""",
    ),
    # meadow-dev/meadow-cli: project scaffolding CLI
    (
        1801,
        MEADOW,
        FD,
        "`prompts` resolves to `{ overwrite: false }`, and an object is always "
        "truthy — so we `rm -rf` the directory even when the user answers *no*. "
        "Should be `if (answer.overwrite)`.",
        """\
@@ -30,6 +30,10 @@ export async function prepareTarget(dir: string) {
+    const answer = await prompts({ type: "confirm", name: "overwrite", message });
+    if (answer) {
+      await fs.rm(dir, { recursive: true, force: true });
+    }
""",
    ),
    (
        1802,
        MEADOW,
        FD,
        "`url` comes from the user and goes into a shell string — "
        "`meadow create 'x; rm -rf ~'` would be bad. Use "
        '`execFile("git", ["clone", "--depth=1", url, dir])`.',
        """\
@@ -12,5 +12,6 @@ export async function cloneTemplate(url: string, dir: string) {
+  await exec(`git clone --depth=1 ${url} ${dir}`);
""",
    ),
    (
        1803,
        MEADOW,
        RD,
        "Template resolution (local path → npm package → GitHub shorthand) is "
        "one long function with early returns. A list of `TemplateResolver`s "
        "tried in order would make the GitLab support people keep asking for a "
        "small addition.",
        """\
@@ -20,6 +20,14 @@ export async function resolveTemplate(spec: string): Promise<string>
+  if (spec.startsWith(".") || path.isAbsolute(spec)) {
+    return path.resolve(spec);
+  }
+  if (spec.startsWith("github:") || /^[\\w-]+\\/[\\w-]+$/.test(spec)) {
""",
    ),
    (
        1804,
        MEADOW,
        STY,
        "nit: `'use strict'` is implied in ES modules.",
        """\
@@ -1,3 +1,4 @@
+"use strict";
 import { Command } from "commander";
""",
    ),
    (
        1805,
        MEADOW,
        DOC,
        "`--skip-install` works, but it's missing from the option's description "
        "in `meadow --help` and from the README.",
        """\
@@ -20,5 +20,6 @@ program
   .option("--template <name>", "template to use")
+  .option("--skip-install")
""",
    ),
    (
        1806,
        MEADOW,
        Q,
        "Should we detect the package manager from `npm_config_user_agent` "
        "(like create-vite does) instead of prompting?",
        """\
@@ -30,6 +30,12 @@ export async function askOptions(): Promise<Answers> {
+    {
+      type: "select",
+      name: "packageManager",
+      message: "Which package manager?",
""",
    ),
    (1807, MEADOW, PR, "Nice!", ""),
    (
        1808,
        MEADOW,
        FD,
        "`name` is used as a path unchecked, so `meadow create ../../tmp/x` "
        "writes outside the cwd. Validate it with `validate-npm-package-name` "
        "first and use `path.basename` for the package name.",
        """\
@@ -8,5 +8,6 @@ export async function create(name: string, opts: CreateOptions) {
+  const target = path.join(process.cwd(), name);
""",
    ),
    (
        1809,
        MEADOW,
        RD,
        "Every step does `spinner.stop()` → log → `spinner.start()` by hand and "
        "handles errors differently. A `step(title, fn)` helper would centralise "
        "that.",
        """\
@@ -40,6 +40,12 @@ export async function create(name: string, opts: CreateOptions) {
+  spinner.start("Installing dependencies");
+  try {
+    await install(target, pm);
+  } catch (e) {
+    spinner.stop();
""",
    ),
    (
        1810,
        MEADOW,
        FD,
        "On Ctrl-C this exits with 0 and leaves the half-written project behind; "
        "a following `meadow create` with the same name then asks to overwrite "
        "it. Remove the partial directory and exit 130.",
        """\
@@ -60,5 +60,7 @@ export async function create(name: string, opts: CreateOptions) {
+  process.on("SIGINT", () => {
+    process.exit(0);
+  });
""",
    ),
    (
        1811,
        MEADOW,
        STY,
        "nit: `string[]` instead of `Array<string>`, like everywhere else.",
        """\
@@ -5,4 +5,5 @@ export interface CreateOptions {
+  features: Array<string>;
""",
    ),
    (
        1812,
        MEADOW,
        DOC,
        "The help text says *Initialise* while the README says *Initialize* — "
        "we use US spelling elsewhere in the docs.",
        """\
@@ -14,4 +14,5 @@ program
+  .description("Initialise a new project from a template")
""",
    ),
    (
        1813,
        MEADOW,
        RD,
        '`JSON.parse(fs.readFileSync("package.json", "utf8"))` now appears in '
        "four places. A single `readPackageJson(dir)` would also give us one "
        "place for a nicer error when the file is malformed.",
        """\
@@ -5,5 +5,6 @@ export async function detectFramework(dir: string) {
+  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
""",
    ),
    (
        1814,
        MEADOW,
        Q,
        "Do we still need Node 16? If we bump `engines` to `>=18` we can use "
        "`fs.cp` and drop `fs-extra`.",
        """\
@@ -20,5 +20,5 @@
   "engines": {
     "node": ">=16"
   },
""",
    ),
    (
        1815,
        MEADOW,
        FD,
        "npm strips dotfiles from published tarballs, which is why templates "
        "ship `_gitignore`. `_npmrc` isn't in this map, so generated projects end "
        "up with a literal `_npmrc` and no `.npmrc`.",
        """\
@@ -3,5 +3,7 @@ const RENAMES: Record<string, string> = {
   _gitignore: ".gitignore",
+  _eslintrc: ".eslintrc.json",
 };
""",
    ),
    (1816, MEADOW, PR, "👀 will look at this properly tomorrow", ""),
    (
        1817,
        MEADOW,
        STY,
        "Please use the `node:` prefix like the other files (`node:fs/promises`).",
        """\
@@ -1,4 +1,5 @@
+import fs from "fs/promises";
 import path from "node:path";
""",
    ),
    (
        1818,
        MEADOW,
        RD,
        "I'd keep `chalk` out of `core/`. If `create()` took a `logger`, the "
        "programmatic API could run without colour codes ending up in CI logs.",
        """\
@@ -1,4 +1,5 @@
+import chalk from "chalk";
 import { install } from "./install";
""",
    ),
    (
        1819,
        MEADOW,
        PR,
        "Thanks, all addressed!",
        """\
@@ -60,5 +60,7 @@ export async function create(name: string, opts: CreateOptions) {
+  process.on("SIGINT", () => {
+    process.exit(0);
+  });
""",
    ),
    (
        1820,
        MEADOW,
        RD,
        "Copying the template with `fs.cp` and then reading every file again "
        "for the `{{name}}` substitution walks the tree twice. A single pass "
        "that copies and substitutes (text files only) would be simpler.",
        """\
@@ -20,5 +20,8 @@ export async function render(templateDir: string, target: string) {
+  await fs.cp(templateDir, target, { recursive: true });
+  for (const file of await walk(target)) {
+    await substitute(file, vars);
""",
    ),
]
