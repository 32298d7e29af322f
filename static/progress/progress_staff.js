/* blended_progress, staff's part (loaded for staff only, after progress.js): the cohort matrix, its filters
   and revocation. Plain ES2017; DOM built with el() (textContent only); scoped to `element`. */
function BlendedProgressStaff(runtime, element, args) {
  'use strict';
  BlendedProgress(runtime, element, args);
  const { $, el, gettext, format, say, call, pager, url } = window.BlendedXBlocks.block(runtime, element, args);
  const rows = $('[data-pg-rows]'), query = { page: 1, page_size: 50, status: 'all', search: '' };
  const pages = pager($('.bpg-pager'), (page) => { query.page = page; return load(); });

  async function revoke(learner, button) {
    const reason = window.prompt(format(gettext('Why is the certificate of {name} revoked?'), { name: learner.full_name || learner.username }));
    if (reason && await call('revoke_certificate', { user_id: learner.user_id, reason }, { button })) {
      say(gettext('The certificate was revoked.'));
      load();
    }
  }

  function render(data) {
    rows.textContent = '';
    data.learners.forEach((learner) => {
      const name = learner.full_name || learner.username;
      const cells = [el('th', { scope: 'row', dir: 'auto', text: learner.full_name ? learner.full_name + ' (' + learner.username + ')' : learner.username })];
      args.requirements.forEach((requirement) => {
        const r = learner.requirements[requirement.id] || { done: 0, needed: 0, met: false };
        cells.push(el('td', { className: r.met ? 'bpg-met' : '' }, [r.done + ' / ' + r.needed + (r.met ? ' ✓' : '')]));
      });
      cells.push(el('td', {}, [learner.met ? gettext('Requirements met') : learner.at_risk ? gettext('At risk') : gettext('On track')]));
      cells.push(el('td', {}, [learner.certificate === 'issued' ? el('button', {
        type: 'button', className: 'blended-secondary', text: gettext('Revoke certificate'),
        'aria-label': format(gettext('Revoke the certificate of {name}'), { name }),
        onclick: (event) => revoke(learner, event.currentTarget)
      }) : learner.certificate === 'revoked' ? gettext('Certificate revoked') : null]));
      rows.append(el('tr', { className: learner.at_risk ? 'bpg-risk' : '' }, cells));
    });
    $('[data-pg-counts]').textContent = format(gettext('{all} learners: {met} met every requirement, {at_risk} at risk.'), data.counts);
    pages.show(data);
  }

  async function load() {
    const data = await call('cohort', query);
    if (data) { render(data); }
  }

  $('[data-pg-filters]').addEventListener('submit', (event) => {
    event.preventDefault();
    query.status = event.target.elements.status.value;
    query.search = event.target.elements.search.value.trim();
    query.page = 1;
    load();
  });
  $('[data-pg-export]').setAttribute('href', url('export_cohort'));
  load();
}
