/* blended_application: the applicant's form (draft, submit, withdraw, offer); staff's part: application_staff.js.
   Plain ES2017; DOM built with BlendedXBlocks.el (textContent only); scoped to `element`. */
function BlendedApplication(runtime, element, args) {
  'use strict';
  const { $: find, el, gettext, format, say, call, upload, when } = window.BlendedXBlocks.block(runtime, element, args);
  const root = find('[data-ap-root]') || element, $ = (selector) => root.querySelector(selector);
  let state = args.state;
  const NAMES = { draft: gettext('Draft saved'), submitted: gettext('Submitted'), withdrawn: gettext('Withdrawn'),
    selected: gettext('Selected: please answer the offer'), waitlisted: gettext('On the waitlist'),
    not_selected: gettext('Not selected'), accepted: gettext('Place accepted'), declined: gettext('Place declined'),
    expired: gettext('Offer expired') };
  const AGREEMENT = { not_requested: gettext('not requested yet'), pending: gettext('waiting for your supervisor'),
    awaiting_staff: gettext('approved by your supervisor, waiting for the course team'),
    approved: gettext('approved'), declined: gettext('declined'), expired: gettext('expired, ask again') };


  function answers() {
    const out = {};
    (state.questions || []).forEach((q) => {
      const box = root.querySelector('[data-ap-question="' + q.id + '"]');
      if (!box || q.kind === 'file') { return; }
      if (q.kind === 'choice' || q.kind === 'yes_no') {
        const picked = box.querySelector('input:checked');
        if (picked) { out[q.id] = picked.value; }
      } else {
        const input = box.querySelector('input, textarea');
        if (input.value.trim() !== '') { out[q.id] = q.kind === 'number' ? Number(input.value) : input.value; }
      }
    });
    return out;
  }

  /* Say at once when an answer makes the applicant ineligible (the server says it again on saving). */
  function warnIneligible(q, box) {
    if (!q.must_be) { return; }
    const picked = box.querySelector('input:checked');
    box.querySelector('[data-ap-warning]').hidden = !picked || picked.value === q.must_be;
  }

  function showAgreement(agreement) {
    const holder = $('[data-ap-agreement]');
    if (holder && agreement) { holder.textContent = AGREEMENT[agreement.status] || agreement.status; }
  }

  function show(data) {
    state = data;
    const app = data.application;
    showAgreement(data.agreement);
    const outcome = $('[data-ap-outcome]');
    if (!outcome) { return; }
    outcome.textContent = '';
    if (!app) { return; }
    let text = NAMES[app.status] || app.status;
    if (app.status === 'waitlisted' && app.waitlist_position) {
      text += ' (' + format(gettext('position {n}'), { n: app.waitlist_position }) + ')';
    }
    outcome.appendChild(el('p', { className: 'bap-outcome-status', dir: 'auto' }, [text]));
    if (app.status === 'selected' && app.offer_expires) {
      outcome.appendChild(el('p', {}, [format(gettext('Please answer before {when}.'), { when: when(app.offer_expires) })]));
    }
    if (app.message) { outcome.appendChild(el('p', { className: 'bap-message', dir: 'auto' }, [app.message])); }
    (data.questions || []).forEach((q) => {
      const box = root.querySelector('[data-ap-question="' + q.id + '"]');
      if (!box) { return; }
      const value = app.answers[q.id];
      if (q.kind === 'choice' || q.kind === 'yes_no') {
        box.querySelectorAll('input').forEach((input) => { input.checked = input.value === value; });
      } else if (q.kind !== 'file' && value !== undefined) {
        box.querySelector('input, textarea').value = value;
      } else if (q.kind === 'file') {
        const file = (app.files || []).filter((f) => f.question === q.id)[0];
        const label = box.querySelector('[data-ap-file]');
        if (label) { label.textContent = file ? format(gettext('Attached: {name}'), { name: file.name }) : ''; }
      }
      box.querySelector('[data-ap-warning]').hidden = (app.disqualified || []).indexOf(q.id) < 0;
    });
    const offer = $('[data-ap-offer]');
    if (offer) { offer.hidden = app.status !== 'selected'; }
  }

  const REFRESH_AFTER_REFUSAL = ['accept_offer', 'decline_offer', 'withdraw'];
  /* After a refusal (409: the offer lapsed, staff decided meanwhile…) show what is true now, keeping the error said. */
  async function refresh() {
    const data = await call('get_state', {}, { refused: () => true });
    if (data) { show(data); }
  }

  async function act(handler, body, message, button) {
    const data = await call(handler, body, { button, refused: (error, result) => {
      if (result.status === 409 && REFRESH_AFTER_REFUSAL.indexOf(handler) >= 0) { refresh(); }  // never overwrite typed answers
      return false;
    } });
    if (!data) { return; }
    show(data);
    say(message);
  }

  function version() { return state.application ? state.application.version : 0; }

  if ($('[data-ap-form]')) {
    $('[data-ap-save]').addEventListener('click', (event) => {
      act('save_draft', { answers: answers(), version: version() }, gettext('Draft saved.'), event.currentTarget);
    });
    $('[data-ap-submit]').addEventListener('click', (event) => {
      act('submit', { answers: answers(), version: version() }, gettext('Your application is submitted.'), event.currentTarget);
    });
    $('[data-ap-withdraw]').addEventListener('click', (event) => act('withdraw', {}, gettext('Your application is withdrawn.'), event.currentTarget));
    $('[data-ap-accept]').addEventListener('click', (event) => act('accept_offer', {}, gettext('You accepted the place.'), event.currentTarget));
    $('[data-ap-decline]').addEventListener('click', (event) => act('decline_offer', {}, gettext('You declined the place.'), event.currentTarget));
    (state.questions || []).forEach((q) => {
      const box = root.querySelector('[data-ap-question="' + q.id + '"]');
      if (box && q.must_be) { box.addEventListener('change', () => { warnIneligible(q, box); }); }
    });
    root.querySelectorAll('[data-ap-form] input[type="file"]').forEach((input) => {
      input.addEventListener('change', async () => {
        if (!input.files.length) { return; }
        const form = new FormData();
        form.append('question', input.closest('[data-ap-question]').getAttribute('data-ap-question'));
        form.append('file', input.files[0]);
        const data = await upload('upload_file', form, { button: input });
        if (!data) { return; }
        show(data.state);
        say(gettext('Saved.'));
      });
    });
    show(state);
  } else {
    showAgreement(state.agreement);
  }
}
