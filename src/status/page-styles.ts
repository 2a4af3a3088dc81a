/** Extra CSS of the status page (on top of the report's base CSS). */
export const STATUS_CSS = `
.hero{display:flex;gap:20px;align-items:center;flex-wrap:wrap}
.hero .big{font-size:30px;font-weight:800;text-transform:uppercase}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:16px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 14px}
.stat .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.stat .v{font-size:20px;font-weight:700;margin-top:2px}
.links{display:flex;gap:14px;flex-wrap:wrap;font-size:13px}
.alert{border-left:4px solid var(--fail);background:#fef2f2;border-radius:8px;padding:8px 12px;margin:6px 0}
.alert.inconclusive{border-color:var(--inc);background:#fffbeb}
.health-ok{color:var(--pass);font-weight:600}.health-bad{color:var(--fail);font-weight:600}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:middle}
`;
