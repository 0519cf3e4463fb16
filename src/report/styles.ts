/** The report's stylesheet: readable on screen, printable on A4/Letter, no external fonts. */
export const STYLES = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --panel: #f6f8fa;
  --critical: #b3261e; --critical-bg: #fdecea; --warning: #8a5300; --warning-bg: #fff4e0;
  --info: #0b5cad; --info-bg: #e8f1fb; --ok: #1e6b35; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 24px 0 6px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em;
  overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin: 20px 0; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 13px; }
.tile .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .note { color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px; break-inside: avoid; }
figcaption { font-weight: 600; }
figcaption .muted { font-weight: normal; display: block; font-size: 13px; }
.chart-box { position: relative; height: 320px; margin-top: 8px; }
.chart-error { background: var(--warning-bg); color: var(--warning); padding: 8px 12px; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
th.num { text-align: right; white-space: normal; }
.table-wrap { overflow-x: auto; }
.flags { list-style: none; padding: 0; margin: 8px 0; }
.flag { border-left: 4px solid; border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
.flag .sev { font-weight: 700; margin-right: 6px; }
.flag.critical { border-color: var(--critical); background: var(--critical-bg); }
.flag.critical .sev { color: var(--critical); }
.flag.warning { border-color: var(--warning); background: var(--warning-bg); }
.flag.warning .sev { color: var(--warning); }
.flag.info { border-color: var(--info); background: var(--info-bg); }
.flag.info .sev { color: var(--info); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.critical { background: var(--critical-bg); color: var(--critical); }
.badge.warning { background: var(--warning-bg); color: var(--warning); }
.badge.info { background: var(--info-bg); color: var(--info); }
.badge.ok { color: var(--ok); }
.owner { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 16px 0; break-inside: avoid; }
.workflow { border-top: 1px dashed var(--line); padding-top: 8px; margin-top: 12px; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 4px 24px; margin: 8px 0; }
dl.figures div { display: flex; justify-content: space-between; gap: 8px; border-bottom: 1px dotted var(--line); }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; text-align: right; }
meter { width: 100%; height: 10px; }
.note { display: block; font-size: 13px; }
.findings { margin: 0; padding-left: 18px; }
tr.model-flag td { border-bottom: none; padding-top: 0; }
tr.model-flag .flag { margin: 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print {
  main { max-width: none; padding: 0; }
  .charts { grid-template-columns: 1fr 1fr; }
  .chart-box { height: 260px; }
  h2 { break-after: avoid; }
}
`;
