// The console's one stylesheet, served from the app (/admin/assets/console.css): no CDN, no inline
// style, so the CSP can stay `style-src 'self'`. Phone first; the matrix scrolls sideways with the
// branch names held in place.
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;color:#222;background:#f6f6f4;line-height:1.5;font-size:15px}
header{background:#b5121b;color:#fff;padding:10px 14px;display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center}
header .brand{font-weight:700;font-size:1.05em}header .who{margin-left:auto;font-size:.85em;opacity:.9}
nav{display:flex;gap:4px;flex-wrap:wrap;padding:6px 10px;background:#fff;border-bottom:1px solid #e4e4e4}
nav a{padding:6px 10px;border-radius:6px;color:#333;text-decoration:none}nav a.on{background:#b5121b;color:#fff}
main{padding:12px;max-width:1400px;margin:0 auto}
h1{font-size:1.2em;margin:.2em 0 .6em}h2{font-size:1.05em;margin:1.4em 0 .5em;border-left:4px solid #b5121b;padding-left:8px}
.picker{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0 0 10px}
.picker a{padding:4px 10px;border:1px solid #ccc;border-radius:14px;background:#fff;color:#333;text-decoration:none;font-size:.9em}
.picker a.on{border-color:#b5121b;color:#b5121b;font-weight:600}.picker .title{font-weight:600;margin:0 6px}
.legend{display:flex;flex-wrap:wrap;gap:10px;font-size:.82em;color:#555;margin:6px 0 10px}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px;background:var(--c)}
.scroll{overflow-x:auto;background:#fff;border:1px solid #e4e4e4;border-radius:8px}
table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600;font-size:.88em;white-space:nowrap}
table.matrix th,table.matrix td{text-align:center;white-space:nowrap}
table.matrix th:first-child,table.matrix td:first-child{text-align:left;position:sticky;left:0;background:#fff;z-index:1;min-width:7.5em;max-width:10em;white-space:normal}
table.matrix th small{display:block;font-weight:400;color:#888}
td.cell{padding:3px}td.cell a{display:block;min-width:4.2em;padding:4px 6px;border-radius:6px;text-decoration:none;color:inherit}
td.cell b{display:block;font-size:1.1em}td.cell small{display:block;font-size:.75em;opacity:.8}
.ok{--c:#2e9d4a;background:#e3f4e6;color:#1d6b31}.due{--c:#e5a100;background:#fff3d1;color:#7a5700}
.late{--c:#d93025;background:#fde2e0;color:#9b1c14}.none{--c:#bbb;background:#f2f2f2;color:#888}
.legend .ok,.legend .due,.legend .late,.legend .none{background:none;color:#555}
.risk{display:inline-block;background:#d93025;color:#fff;border-radius:8px;padding:0 5px;font-size:.72em;margin-left:2px}
.card{background:#fff;border:1px solid #e4e4e4;border-radius:8px;padding:10px 12px;margin:0 0 12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
svg{width:100%;height:auto;font-family:inherit}svg.wide{min-width:620px;max-width:860px}.card h2:first-child{margin-top:.3em}.charts .full{grid-column:1/-1}
.notice{background:#fff6e0;border-left:4px solid #f0a020;padding:8px 12px;margin:0 0 12px}
.error{background:#fde2e0;border-left:4px solid #d93025;padding:8px 12px;margin:0 0 12px}
.done{background:#e3f4e6;border-left:4px solid #2e9d4a;padding:8px 12px;margin:0 0 12px}
form.inline{display:inline}button,.button{white-space:nowrap;font:inherit;padding:6px 12px;border-radius:6px;border:1px solid #ccc;background:#f5f5f5;cursor:pointer;color:#222;text-decoration:none;display:inline-block}
button.primary,.button.primary{background:#b5121b;color:#fff;border-color:#b5121b}
input[type=file]{max-width:100%}
.scroll td.nowrap{white-space:nowrap}.scroll td.mid{min-width:8em}.scroll td.wrap{min-width:15em}.muted{color:#888;font-size:.88em}ul.plain{padding-left:1.2em;margin:.3em 0}
@media (max-width:600px){main{padding:8px}table.matrix th:first-child,table.matrix td:first-child{min-width:6.5em}th,td{padding:5px 6px}td.cell a{min-width:3.4em;padding:3px 4px}}
`;
