/**
 * The reports' own small stylesheet, served at `/reports/static/reports.css` next to the tool's
 * `tln.css` (pages may not carry style attributes: CSP `style-src 'self'`). Wider pages on a
 * desktop; tables and wide charts scroll sideways on a phone rather than shrinking the numbers; a
 * long word in a paragraph (a rating method with its parameters) wraps rather than widening the page.
 */
export const REPORTS_CSS = `body.reports{max-width:64rem}
nav{font-size:.9rem;margin-bottom:.5rem}
p{overflow-wrap:anywhere}
.scroll{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;font-size:.9rem;min-width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure.chart-box{margin:.5rem 0;overflow-x:auto}figcaption{font-size:.85rem;color:#444}
svg.chart{display:block;max-width:100%;height:auto}svg.chart.wide{max-width:none}
svg.chart a:focus{outline:3px solid #f59e0b}
.status{margin:.5rem 0}.meaning{font-size:.9rem;color:#333}
nav.pager{font-size:1rem;margin:.5rem 0}nav.pager p{margin:.25rem 0}.pager-links a,.pager-links strong{display:inline-block;min-width:2.75rem;min-height:2.75rem;line-height:2.75rem;text-align:center;padding:0 .25rem;box-sizing:border-box}
ul.legend{font-size:.85rem;padding-left:1.2rem}
details.filters{margin:.5rem 0}details.filters p{margin:.3rem 0}
input[type=date],input[type=url],select{font:inherit;padding:.3rem;max-width:100%;box-sizing:border-box}
input[type=url]{width:100%}
pre.statement{white-space:pre-wrap;word-break:break-word;background:#f7f7f7;padding:.5rem;font-size:.8rem}
@media print{nav,details.filters,.export{display:none}body.reports{max-width:none}}
`
