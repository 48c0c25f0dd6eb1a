// The supervisor's pages (issue 16, docs/web.md): the submissions table, one
// submission read by the form's labels with its review status, and the day's
// progress. Everything comes from the server's supervisor endpoints
// (docs/server.md), which apply the roles: an interviewer who opens these pages
// sees only its own work, and only supervisors get the review control.
//   #submissions[?QUERY]       the table (filters, sort, keyset pages from the server)
//   #submission/FORM/INSTANCE  one submission by labels, "Review status", "Comment", "Save"
//   #progress                  counts by country, interviewer and day, AAPOR rates,
//                              follow-ups due and overdue, exports to download
import * as api from './api.mjs';
import * as i18n from './i18n.mjs';
import { el, t } from './i18n.mjs';

const REVIEWS = [
  ['approved', 'review_approved'],
  ['needs_checking', 'review_needs_checking'],
  ['rejected', 'review_rejected'],
];
const SORTS = [
  ['started', 'column_day'],
  ['submitted_by', 'column_interviewer'],
  ['form', 'column_form'],
  ['org', 'column_organisation'],
  ['status', 'column_status'],
  ['review', 'label_review_status'],
];

// A label showing word `key`, with the English word after it in another language
// (as the login's fields), so the control is named by both.
function label(key, forId, suffix = '') {
  return el('label', { for: forId }, t(key) + suffix,
    i18n.language() === 'en' ? null : el('span', { class: 'muted' }, ` (${i18n.tIn('en', key)})`));
}

// A word shown with its English name for people who read both (and for scripts).
function withEnglish(key) {
  const shown = t(key);
  const english = i18n.tIn('en', key);
  return shown === english ? shown : `${shown} (${english})`;
}

function reviewWord(review) {
  if (!review) return t('review_none');
  const found = REVIEWS.find(([value]) => value === review.status);
  return found ? t(found[1]) : review.status;
}

// A group of the progress tables: "overall" (the fieldwork library's name for all
// groups together) in the page's language, a country or organisation as it is.
function groupName(group) {
  return group === 'overall' ? t('group_overall') : group;
}

// A submission's status ("complete", "draft") in the page's language.
function statusWord(status) {
  return status === 'complete' || status === 'draft' ? t(`submission_${status}`) : status;
}

// A start time in the local time it was written in (where the interview happened).
function day(iso) {
  return iso ? i18n.writtenDateTimeInWords(iso) : '';
}

// The table's query, kept in the page's address so that Back and reloads keep it.
function readQuery() {
  const q = location.hash.split('?')[1] || '';
  return new URLSearchParams(q);
}

function writeQuery(params) {
  const clean = new URLSearchParams();
  for (const [k, v] of params) if (v) clean.set(k, v);
  const text = clean.toString();
  location.hash = text ? `#submissions?${text}` : '#submissions';
}

// A magnifying glass (the filter button's face; its name is "Filter").
function magnifier() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '22');
  svg.setAttribute('aria-hidden', 'true');
  const circle = document.createElementNS(ns, 'circle');
  circle.setAttribute('cx', '10');
  circle.setAttribute('cy', '10');
  circle.setAttribute('r', '6.5');
  const handle = document.createElementNS(ns, 'path');
  handle.setAttribute('d', 'M15 15l6 6');
  for (const part of [circle, handle]) {
    part.setAttribute('fill', 'none');
    part.setAttribute('stroke', 'currentColor');
    part.setAttribute('stroke-width', '2.5');
    svg.append(part);
  }
  return svg;
}

export class Supervisor {
  constructor(app) {
    this.app = app;
    this.main = app.main;
    // The cursors of the pages before this one, to go back.
    this.cursors = [];
    this.forms = null;
  }

  async formsList() {
    if (!this.forms) this.forms = await api.forms();
    return this.forms.filter((f) => f.may_read);
  }

  // The submissions table.
  async table() {
    this.app.onLanguage = null;
    this.app.rerender = () => this.table();
    const params = readQuery();
    const forms = await this.formsList();
    if (!params.get('form') && forms.length) params.set('form', forms[0].form_id);
    const request = new URLSearchParams(params);
    request.set('limit', request.get('limit') || '50');
    const page = await api.getJson(`/api/v1/submissions?${request}`);

    const heading = el('h1', {}, t('heading_submissions'));
    const field = (key, control, suffix) => el('div', { class: 'filter' }, label(key, control.id, suffix), control);
    const formSelect = el('select', { id: 'filter-form', name: 'form' },
      forms.map((f) => el('option', { value: f.form_id, selected: f.form_id === params.get('form') }, f.title || f.form_id)));
    const who = el('input', { id: 'filter-interviewer', name: 'submitted_by', type: 'text', value: params.get('submitted_by') || '', autocomplete: 'off' });
    const status = el('select', { id: 'filter-status', name: 'status' },
      el('option', { value: '' }, '—'),
      el('option', { value: 'complete', selected: params.get('status') === 'complete' }, t('submission_complete')),
      el('option', { value: 'draft', selected: params.get('status') === 'draft' }, t('submission_draft')));
    const review = el('select', { id: 'filter-review', name: 'review' },
      el('option', { value: '' }, '—'),
      [...REVIEWS, ['none', 'review_none']].map(([value, key]) =>
        el('option', { value, selected: params.get('review') === value }, t(key))));
    const from = el('input', { id: 'filter-from', name: 'from', type: 'date', value: params.get('from') || '' });
    const to = el('input', { id: 'filter-to', name: 'to', type: 'date', value: params.get('to') || '' });
    const filters = el('form', {
      class: 'filters',
      onsubmit: (ev) => {
        ev.preventDefault();
        const next = new URLSearchParams();
        for (const c of [formSelect, who, status, review, from, to]) next.set(c.name, c.value.trim());
        next.set('sort', params.get('sort') || '');
        next.set('order', params.get('order') || '');
        this.cursors = [];
        writeQuery(next);
      },
    },
    field('column_form', formSelect), field('column_interviewer', who), field('column_status', status),
    field('label_review_status', review), field('column_day', from, ' ≥'), field('column_day', to, ' ≤'),
    el('button', { type: 'submit', class: 'primary', 'aria-label': i18n.accessibleName('button_filter') }, magnifier()));

    const sort = params.get('sort') || 'started';
    const order = params.get('order') || 'asc';
    const header = (value, key) => {
      const active = sort === value;
      const nextOrder = active && order === 'asc' ? 'desc' : 'asc';
      return el('th', { scope: 'col', 'aria-sort': active ? (order === 'asc' ? 'ascending' : 'descending') : null },
        el('button', {
          type: 'button',
          class: 'sort',
          onclick: () => {
            const next = new URLSearchParams(params);
            next.set('sort', value);
            next.set('order', nextOrder);
            next.delete('after');
            this.cursors = [];
            writeQuery(next);
          },
        }, t(key), active ? (order === 'asc' ? ' ▲' : ' ▼') : ''));
    };
    const rows = page.submissions.map((s) => el('tr', {},
      el('td', {}, day(s.started_at)),
      el('td', {}, s.submitted_by || s.interviewer),
      el('td', {}, s.form_id),
      el('td', {}, s.org_id),
      el('td', {}, statusWord(s.status)),
      el('td', { class: `rv ${s.review ? s.review.status : 'none'}` }, reviewWord(s.review)),
      el('td', {}, el('a', {
        href: `#submission/${encodeURIComponent(s.form_id)}/${encodeURIComponent(s.instance_id)}`,
        'aria-label': `${i18n.accessibleName('link_open')}: ${s.submitted_by || s.interviewer} ${day(s.started_at)}`,
      }, t('link_open')))));
    const table = el('div', { class: 'table-wrap', tabindex: 0 }, el('table', { class: 'submissions' },
      el('thead', {}, el('tr', {}, SORTS.map(([value, key]) => header(value, key)), el('th', { scope: 'col' }, el('span', { class: 'sr' }, t('link_open'))))),
      el('tbody', {}, rows)));
    const pager = el('p', { class: 'pager' });
    if (params.get('after')) {
      pager.append(i18n.button('button_back', () => {
        const next = new URLSearchParams(params);
        const before = this.cursors.pop();
        if (before) next.set('after', before); else next.delete('after');
        writeQuery(next);
      }));
    }
    if (page.next) {
      pager.append(i18n.button('button_next', () => {
        this.cursors.push(params.get('after') || '');
        const next = new URLSearchParams(params);
        next.set('after', page.next);
        writeQuery(next);
      }));
    }
    const empty = page.submissions.length ? null : el('p', { class: 'muted' }, '—');
    this.main.replaceChildren(...[heading, filters, table, empty, pager].filter(Boolean));
  }

  // One submission by the form's labels, with its review.
  async submission(formId, instanceId) {
    const load = async () => {
      const lang = i18n.language();
      let url = `/api/v1/forms/${encodeURIComponent(formId)}/submissions/${encodeURIComponent(instanceId)}`;
      // The form's labels in the page's language when the form has it.
      const base = await api.getJson(url);
      if (base.languages.some((l) => l.code === lang) && base.language !== lang) {
        url += `?lang=${encodeURIComponent(lang)}`;
        return api.getJson(url);
      }
      return base;
    };
    this.app.onLanguage = null;
    this.app.rerender = () => this.submission(formId, instanceId);
    const s = await load();
    const children = [
      el('h1', {}, s.form_title),
      el('dl', { class: 'facts' },
        el('dt', {}, t('column_interviewer')), el('dd', {}, s.submitted_by || s.interviewer),
        el('dt', {}, t('column_organisation')), el('dd', {}, s.org_id || '—'),
        el('dt', {}, t('column_day')), el('dd', {}, day(s.started_at)),
        el('dt', {}, t('column_status')), el('dd', {}, statusWord(s.status))),
      // The review first (as Kobo's validation status): a supervisor going through
      // the day's submissions sets it without scrolling past every answer.
      this.reviewBox(s, formId, instanceId),
    ];
    // The answers, a heading each time the enclosing group or repeat instance changes.
    let where = null;
    let list = null;
    for (const item of s.items) {
      const groups = item.groups.join(' › ');
      if (groups !== where || !list) {
        where = groups;
        if (groups) children.push(el('h2', { class: 'group' }, groups));
        list = el('dl', { class: 'answers' });
        children.push(list);
      }
      let value;
      if (item.state === 'answered') value = item.shown || item.value;
      else if (item.state === 'refused') value = el('em', {}, t('refused'));
      else if (item.state === 'dont_know') value = el('em', {}, t('dont_know'));
      else if (item.state === 'not_asked') value = el('em', { class: 'muted' }, t('not_asked'));
      else if (item.state === 'hidden') value = el('em', { class: 'muted' }, '•••');
      else value = el('span', { class: 'muted' }, '—');
      list.append(el('dt', {}, item.label || item.name), el('dd', {}, value));
    }
    this.main.replaceChildren(...children);
  }

  reviewBox(s, formId, instanceId) {
    const current = el('p', { class: 'review-now', role: 'status' }, this.reviewLine(s.review));
    if (!s.may_review) {
      return el('section', { class: 'review-box' },
        el('h2', { id: 'review-heading' }, withEnglish('label_review_status')), current);
    }
    const select = el('select', { id: 'review-status', name: 'status' },
      REVIEWS.map(([value, key]) => el('option', {
        value,
        selected: (s.review ? s.review.status : 'needs_checking') === value,
      }, withEnglish(key))));
    const comment = el('textarea', { id: 'review-comment', name: 'comment', rows: 3, maxlength: 10000 },
      s.review ? s.review.comment : '');
    const error = el('p', { class: 'error', role: 'alert' });
    const form = el('form', {
      class: 'review-box',
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.textContent = '';
        try {
          const url = `/api/v1/forms/${encodeURIComponent(formId)}/submissions/${encodeURIComponent(instanceId)}/review`;
          const saved = await api.putJson(url, { status: select.value, comment: comment.value });
          s.review = saved.review;
          current.textContent = this.reviewLine(s.review);
        } catch (e) {
          error.textContent = e.message;
        }
      },
    },
    el('h2', { id: 'review-heading' }, withEnglish('label_review_status')),
    current,
    label('label_review_status', 'review-status'), select,
    label('label_comment', 'review-comment'), comment,
    error,
    el('button', { type: 'submit', class: 'primary', 'aria-label': i18n.accessibleName('button_save') === t('button_save') ? null : i18n.accessibleName('button_save') }, t('button_save')));
    return form;
  }

  // The day's progress: the fieldwork library's numbers, as `ngosurvey fieldwork
  // status`, `rates` and `due` print them.
  async progress() {
    this.app.onLanguage = null;
    this.app.rerender = () => this.progress();
    const children = [el('h1', {}, t('heading_progress'))];
    let p;
    try {
      p = await api.getJson('/api/v1/progress');
    } catch (e) {
      children.push(el('p', { class: 'note', role: 'status' }, e.status === 403
        ? t('progress_for_supervisors')
        : e.status === 404 ? t('progress_no_frame') : e.message));
      children.push(await this.downloads());
      this.main.replaceChildren(...children);
      return;
    }
    children.push(el('p', { class: 'muted' }, day(`${p.date}T12:00:00Z`).replace(/ \d\d:\d\d$/, '')));
    // Completed interviews (AAPOR 1.1 and 1.2) and open cases per group.
    const completed = (g) => p.dispositions
      .filter((d) => d.code.startsWith('1.'))
      .reduce((n, d) => n + (d.counts[g] || 0), 0);
    const byGroup = t(p.by === 'country' ? 'column_country' : 'column_organisation');
    children.push(el('h2', {}, `${t('column_interviews')} · ${byGroup}`));
    children.push(el('div', { class: 'table-wrap', tabindex: 0 }, el('table', { class: 'progress-groups' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, byGroup),
        el('th', { scope: 'col' }, t('column_interviews')), el('th', { scope: 'col' }, t('column_open_cases')))),
      el('tbody', {}, p.groups.map((g) => el('tr', {}, el('th', { scope: 'row' }, groupName(g)),
        el('td', {}, String(completed(g))), el('td', {}, String(p.open_cases[g] || 0))))))));
    // Per interviewer.
    const people = Object.entries(p.interviews_per_interviewer);
    children.push(el('h2', {}, `${t('column_interviews')} · ${t('column_interviewer')}`));
    children.push(el('div', { class: 'table-wrap', tabindex: 0 }, el('table', { class: 'progress-interviewers' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('column_interviewer')),
        el('th', { scope: 'col' }, t('column_interviews')))),
      el('tbody', {}, people.map(([name, v]) => el('tr', {}, el('th', { scope: 'row' }, name),
        el('td', {}, String(v.total))))))));
    // Per day: a table and a bar chart drawn as SVG.
    const days = Object.entries(p.interviews_per_day);
    children.push(el('h2', { id: 'per-day' }, `${t('column_interviews')} · ${t('column_day')}`));
    children.push(this.chart(days));
    children.push(el('div', { class: 'table-wrap', tabindex: 0 }, el('table', { class: 'progress-days' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('column_day')),
        el('th', { scope: 'col' }, t('column_interviews')))),
      el('tbody', {}, days.map(([d, n]) => el('tr', {}, el('th', { scope: 'row' }, d), el('td', {}, String(n))))))));
    // AAPOR rates per group.
    children.push(el('h2', {}, 'AAPOR'));
    if (p.rates) {
      const measures = ['RR1', 'RR3', 'RR5', 'COOP1', 'REF1', 'CON1'];
      const percent = (v) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);
      children.push(el('div', { class: 'table-wrap', tabindex: 0 }, el('table', { class: 'rates' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, byGroup),
          el('th', { scope: 'col' }, 'n'), measures.map((m) => el('th', { scope: 'col' }, m)))),
        el('tbody', {}, p.rates.map((r) => el('tr', {}, el('th', { scope: 'row' }, groupName(r.group)),
          el('td', {}, String(r.cases)), measures.map((m) => el('td', {}, percent(r[m])))))))));
    } else {
      children.push(el('p', { class: 'note' }, p.rates_problem));
    }
    // Follow-ups due and overdue (the Dillman schedule).
    children.push(el('h2', {}, t('heading_follow_ups')));
    if (!p.follow_ups.length) children.push(el('p', { class: 'muted' }, '—'));
    else {
      children.push(el('div', { class: 'table-wrap', tabindex: 0 }, el('table', { class: 'follow-ups' },
        el('thead', {}, el('tr', {}, ['column_organisation', 'column_action', 'column_mode', 'column_due',
          'column_status', 'column_days_late'].map((key) => el('th', { scope: 'col' }, t(key))))),
        el('tbody', {}, p.follow_ups.map((f) => el('tr', { class: f.status },
          el('td', {}, f.org_id), el('td', {}, f.action), el('td', {}, f.mode), el('td', {}, f.due),
          el('td', {}, t(`due_${f.status}`)), el('td', {}, String(f.days_late))))))));
    }
    children.push(await this.downloads());
    this.main.replaceChildren(...children);
  }

  // A bar per day, highest = full height; labelled for screen readers by the table after it.
  chart(days) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const width = Math.max(320, days.length * 36 + 40);
    const height = 160;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('class', 'bars');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-labelledby', 'per-day');
    const max = Math.max(1, ...days.map(([, n]) => n));
    days.forEach(([d, n], i) => {
      const h = Math.round((n / max) * (height - 40));
      const x = 30 + i * 36;
      const bar = document.createElementNS(ns, 'rect');
      bar.setAttribute('x', x);
      bar.setAttribute('y', height - 20 - h);
      bar.setAttribute('width', 28);
      bar.setAttribute('height', h);
      bar.setAttribute('fill', '#1d4f91');
      const count = document.createElementNS(ns, 'text');
      count.setAttribute('x', x + 14);
      count.setAttribute('y', height - 24 - h);
      count.setAttribute('text-anchor', 'middle');
      count.setAttribute('font-size', '12');
      count.textContent = String(n);
      const label = document.createElementNS(ns, 'text');
      label.setAttribute('x', x + 14);
      label.setAttribute('y', height - 6);
      label.setAttribute('text-anchor', 'middle');
      label.setAttribute('font-size', '10');
      label.textContent = d.slice(5);
      svg.append(bar, count, label);
    });
    return svg;
  }

  // Exports as the CLI writes them, one link per form and format.
  async downloads() {
    const forms = await this.formsList();
    return el('section', { 'aria-labelledby': 'downloads' },
      el('h2', { id: 'downloads' }, t('heading_downloads')),
      el('ul', { class: 'downloads' }, forms.map((f) => el('li', {}, `${f.title || f.form_id}: `,
        ['csv', 'xlsx'].map((format) => el('a', {
          class: 'button',
          href: `/api/v1/forms/${encodeURIComponent(f.form_id)}/export?format=${format}`,
          download: `${f.form_id}.${format}`,
        }, format.toUpperCase()))))));
  }

  reviewLine(review) {
    if (!review) return t('review_none');
    const who = `${review.by}, ${day(review.at)}`;
    return review.comment ? `${reviewWord(review)} · ${who}: ${review.comment}` : `${reviewWord(review)} · ${who}`;
  }
}
