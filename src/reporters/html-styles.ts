/** CSS shared by the HTML report and the status page: inline only (the CSP allows no external styles). */
export const BASE_CSS = `
:root{--bg:#f8fafc;--card:#fff;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--pass:#16a34a;--fail:#dc2626;--inc:#d97706;--pend:#64748b;--accent:#6366f1}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:24px}
header.top{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;gap:8px;margin-bottom:16px}
.brand{font-weight:700;font-size:20px;letter-spacing:-.02em}.brand span{color:var(--accent)}
.meta{color:var(--muted);font-size:13px}
h2{font-size:16px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px;box-shadow:0 1px 2px rgba(15,23,42,.04)}
.banner{border-radius:14px;padding:20px 24px;color:#fff;display:grid;grid-template-columns:auto 1fr;gap:6px 24px;align-items:center}
.banner .big{font-size:34px;font-weight:800;letter-spacing:.02em;text-transform:uppercase;grid-row:span 3}
.banner ul{margin:4px 0 0;padding-left:18px}
.v-pass{background:linear-gradient(135deg,#15803d,#22c55e)}.v-fail{background:linear-gradient(135deg,#b91c1c,#ef4444)}
.v-inconclusive{background:linear-gradient(135deg,#b45309,#f59e0b)}.v-pending,.v-unknown{background:linear-gradient(135deg,#475569,#94a3b8)}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;background:var(--pend);white-space:nowrap}
.b-pass{background:var(--pass)}.b-fail{background:var(--fail)}.b-error,.b-inconclusive,.b-marginal{background:var(--inc)}.b-skipped,.b-pending,.b-unknown{background:var(--pend)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.grid3{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:16px}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:var(--muted)}.small{font-size:12px}
.bot-text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
a{color:var(--accent)}
footer{margin:32px 0 8px;color:var(--muted);font-size:12px;text-align:center}
`;

export const REPORT_CSS = `
.scenario{margin-bottom:18px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px}
@media (max-width:800px){.pair{grid-template-columns:1fr}}
.target-head{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:8px}
.target-head .name{font-weight:700;text-transform:capitalize}
.kv{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12px;margin-bottom:6px}
.kv b{color:var(--ink);font-weight:600}
.reasons{margin:6px 0;padding-left:18px;color:#7f1d1d}
.ok{color:var(--pass);font-weight:700}.ko{color:var(--fail);font-weight:700}
details{margin-top:8px}summary{cursor:pointer;color:var(--accent);font-weight:600}
.step{border-left:3px solid var(--line);padding:4px 0 4px 10px;margin:8px 0}
.step-h{font-size:12px;color:var(--muted)}
.msg{border-radius:12px;padding:6px 10px;margin:4px 0;max-width:92%;font-size:13px}
.msg.sent{background:#e0e7ff;margin-left:auto}
.msg.bot{background:#f1f5f9}
.msg.deleted{opacity:.55;text-decoration:line-through}
.msg .info{display:block;font-size:11px;color:var(--muted);margin-top:2px}
.btns{display:flex;gap:4px;flex-wrap:wrap;margin-top:4px}
.btns span{border:1px solid #c7d2fe;border-radius:6px;padding:0 6px;font-size:11px;background:#fff}
.err{color:#b45309;font-size:12px}
.missing{color:var(--muted);font-style:italic}
`;
