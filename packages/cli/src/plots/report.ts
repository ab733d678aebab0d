/**
 * One self-contained, offline HTML page: inline CSS, inline SVG plots and plain tables; no
 * script, no external fetch.
 */
import { checkOptions, optionKeys } from '../internal/checks.js';
import { ArgumentError, describe } from '@tenfold/core';
import { esc } from './svg.js';

export interface ReportSection {
  heading: string;
  /** Paragraph text (escaped). */
  text?: string;
  /** An SVG document to embed inline. */
  svg?: string;
  /** The file the SVG was also written to, linked under the figure. */
  svgFile?: string;
  /** A table: header row and body rows (cells escaped). */
  table?: { columns: string[]; rows: (string | number)[][] };
}

export interface ReportOptions {
  title: string;
  /** Lines under the title: command line, input file, backend, date. */
  meta?: string[];
  sections: ReportSection[];
}

const REPORT_OPTIONS = optionKeys<ReportOptions>()('title', 'meta', 'sections');

/** Render the report page as an HTML string. */
export function reportHtml(options: ReportOptions): string {
  checkOptions(options, REPORT_OPTIONS, 'reportHtml');
  if (!options || typeof options.title !== 'string' || !Array.isArray(options.sections)) throw new ArgumentError(`reportHtml: options needs a title (string) and sections (array); got ${describe(options)}`);
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', `<title>${esc(options.title)}</title>`);
  out.push('<style>body{font-family:sans-serif;margin:2em auto;max-width:1400px;color:#222}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}figure{margin:1em 0;overflow-x:auto}.meta{color:#666;font-size:90%}</style>');
  out.push('</head><body>', `<h1>${esc(options.title)}</h1>`);
  for (const m of options.meta ?? []) out.push(`<div class="meta">${esc(m)}</div>`);
  for (const s of options.sections) {
    out.push(`<section><h2>${esc(s.heading)}</h2>`);
    if (s.text) out.push(`<p>${esc(s.text)}</p>`);
    if (s.svg) out.push(`<figure>${s.svg}${s.svgFile ? `<figcaption><a href="${esc(s.svgFile)}">${esc(s.svgFile)}</a></figcaption>` : ''}</figure>`);
    if (s.table) {
      out.push('<table><thead><tr>' + s.table.columns.map((c) => `<th>${esc(c)}</th>`).join('') + '</tr></thead><tbody>');
      for (const r of s.table.rows) out.push('<tr>' + r.map((c) => `<td>${esc(String(c))}</td>`).join('') + '</tr>');
      out.push('</tbody></table>');
    }
    out.push('</section>');
  }
  out.push('</body></html>');
  return out.join('\n');
}
