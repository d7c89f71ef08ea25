/** The filter bar of the HTML report: checkboxes per status, domain and target, hidden until the report's script shows it. */
import { escapeHtml, htmlAttributes } from './html-escape.ts';
import { domainOf, UNFINISHED_STATUS, type HtmlRun } from './html-model.ts';
import { COUNT_ORDER, STATUS_WORDS } from './html-summary.ts';

/**
 * The filter form. It carries `hidden`: without scripts there is nothing to
 * filter with and every entry stays visible; the script un-hides it. The
 * entries it filters carry `data-status`, `data-domain` and `data-target`.
 */
export function filtersHtml(run: HtmlRun): string {
  const entries = [
    ...run.results.map((result) => ({ status: result.status, id: result.id, target: result.target.name })),
    ...run.unfinished.map((event) => ({ status: UNFINISHED_STATUS, id: event.id, target: event.target.name })),
  ];
  if (entries.length === 0) return '';
  const count = (predicate: (entry: (typeof entries)[number]) => boolean) => entries.filter(predicate).length;
  const statuses = COUNT_ORDER.map((status) => chip('status', status, STATUS_WORDS[status], count((entry) => entry.status === status), `status-${status}`));
  const domains = run.domains.map((domain) => chip('domain', domain, domain, count((entry) => domainOf(entry.id) === domain)));
  const targets = run.targets.map((target) => chip('target', target.name, target.name, count((entry) => entry.target === target.name)));
  return [
    '<form id="filters" class="filters" hidden aria-label="Filter the results">',
    `<fieldset><legend>Status</legend>${statuses.join('')}</fieldset>`,
    `<fieldset><legend>Domain</legend>${domains.join('')}</fieldset>`,
    `<fieldset><legend>Target</legend>${targets.join('')}</fieldset>`,
    '<button type="reset">Show all</button>',
    '</form>',
  ].join('\n');
}

function chip(name: string, value: string, label: string, count: number, extraClass = ''): string {
  const input = `<input${htmlAttributes({ type: 'checkbox', name, value, checked: true })}>`;
  return `<label class="chip${extraClass ? ` ${extraClass}` : ''}${count === 0 ? ' zero' : ''}">${input} ${escapeHtml(label)} <span class="n">${count}</span></label>`;
}
