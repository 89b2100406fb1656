/** The interface's one stylesheet: system fonts, a light and a dark palette chosen by the system, narrow screens first. */
export const STYLE = `
:root{color-scheme:light dark;--bg:#f7f8fa;--panel:#fff;--text:#1b1f24;--muted:#57606a;--line:#d8dee4;--accent:#0b5cad;--accent-text:#fff;--code:#eef1f4;--ok:#116329;--warn:#7a4d00;--bad:#a40e26;--focus:#0b5cad}
@media (prefers-color-scheme:dark){:root{--bg:#0f1216;--panel:#171b21;--text:#e6e9ed;--muted:#9ba5b0;--line:#2d333b;--accent:#6cb6ff;--accent-text:#0f1216;--code:#222831;--ok:#57d37c;--warn:#e3b341;--bad:#ff7b72;--focus:#6cb6ff}}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:var(--bg);color:var(--text);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.875rem}
.skip{position:absolute;left:-999px;top:0;background:var(--panel);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
header.top{background:var(--panel);border-bottom:1px solid var(--line)}
.top-inner{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:center}
.brand{font-weight:700;text-decoration:none;color:var(--text);font-size:1.1rem;display:flex;gap:.4rem;align-items:center}
.brand img{width:1.4rem;height:1.4rem}
.top-search{flex:1 1 14rem;display:flex;gap:.4rem}
.top-search input{flex:1;min-width:0}
.who{margin-left:auto;display:flex;gap:.6rem;align-items:center;color:var(--muted);font-size:.9rem}
.who form{margin:0}
main{max-width:72rem;margin:0 auto;padding:1rem 1rem 3rem}
nav.crumbs ol{list-style:none;padding:0;margin:0 0 .75rem;display:flex;flex-wrap:wrap;gap:.25rem;color:var(--muted);font-size:.9rem}
nav.crumbs li+li::before{content:"/";margin-right:.25rem}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .8rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
.muted{color:var(--muted)}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;padding:0;margin:0;list-style:none}
.cards li{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem}
.cards h2,.cards h3{margin:0 0 .4rem;font-size:1.1rem;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.4rem 0 0;font-size:.9rem}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 .5rem;font-size:.78rem;line-height:1.5;color:var(--muted);background:var(--bg);white-space:nowrap}
.status-Published{color:var(--ok)}.status-Unlisted,.status-Unfinished{color:var(--warn)}.status-Archived,.status-Disposed{color:var(--bad)}
.table-wrap{overflow-x:auto;background:var(--panel);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
tr:last-child td{border-bottom:0}
th{font-weight:600;color:var(--muted);background:var(--bg)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{overflow-wrap:anywhere}
tr.current td{background:var(--code)}
input,select,button{font:inherit;color:var(--text);background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.35rem .6rem}
button,.button{cursor:pointer;background:var(--accent);color:var(--accent-text);border-color:var(--accent);text-decoration:none;display:inline-block;border-radius:6px;padding:.35rem .7rem}
button.quiet{background:var(--panel);color:var(--text);border-color:var(--line)}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin:0 0 1rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);gap:.15rem}
.pager{display:flex;gap:1rem;align-items:center;margin:.8rem 0;flex-wrap:wrap}
.layout{display:grid;grid-template-columns:1fr;gap:1.2rem}
@media (min-width:900px){.layout{grid-template-columns:minmax(0,1fr) 19rem}}
aside .panel+.panel{margin-top:1rem}
aside h2{margin-top:0;font-size:1rem}
.snippet{margin:.5rem 0}
.snippet .label{font-size:.85rem;color:var(--muted);display:flex;justify-content:space-between;align-items:center;gap:.5rem}
.snippet pre{margin:.2rem 0 0;background:var(--code);padding:.6rem .7rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.copy{font-size:.8rem;padding:.1rem .5rem}
.readme{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;overflow-wrap:anywhere}
.readme pre{background:var(--code);padding:.6rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
.readme code{background:var(--code);padding:.05rem .25rem;border-radius:4px}
.readme pre code{padding:0;background:none}
.readme img{max-width:100%}
.readme table{width:auto}
pre.plain{white-space:pre-wrap;margin:0}
.graph{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.5rem;overflow-x:auto}
.graph svg{display:block;max-width:100%;height:auto}
.graph .node rect{fill:var(--bg);stroke:var(--accent);stroke-width:1.5}
.graph .node.external rect{stroke:var(--warn);stroke-dasharray:4 3}
.graph .node.hidden rect{stroke:var(--line)}
.graph .node text{fill:var(--text);font-size:13px;font-family:system-ui,sans-serif}
.graph .node text.order{fill:var(--muted);font-size:11px}
.graph .edge{stroke:var(--muted);stroke-width:1.2;fill:none}
.graph .arrow{fill:var(--muted)}
.signin{max-width:28rem}
.signin label{display:block;margin:.6rem 0 .2rem;font-weight:600}
.signin input{width:100%}
.signin button{margin-top:1rem}
.error{border-left:4px solid var(--bad);padding:.4rem .8rem;background:var(--panel)}
.hash{font-family:ui-monospace,monospace;font-size:.8rem;overflow-wrap:anywhere}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
@media (max-width:600px){h1{font-size:1.3rem}th,td{padding:.4rem .5rem}.hide-narrow{display:none}}
`;
