/* blended_webinar, Studio editor (with common/studio.js): the session's settings and speakers. */
function BlendedWebinarStudio(runtime, element, args) {
  'use strict';
  const { $, save, cancel } = window.BlendedXBlocks.studio(runtime, element, args);
  const form = $('[data-bw-studio]'), numbers = ['duration', 'capacity', 'join_opens', 'late_after', 'weight', 'late_credit', 'excused_credit'];

  form.querySelector('[data-bw-add]').addEventListener('click', (event) => {
    const rows = form.querySelectorAll('.bw-speaker'), copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll('input').forEach((input) => { input.value = ''; });
    event.target.parentNode.insertBefore(copy, event.target);
    copy.querySelector('input').focus();
  });
  form.querySelector('[data-bw-cancel]').addEventListener('click', cancel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = {}, f = form.elements;
    ['display_name', 'start', 'timezone', 'registration_closes', 'join_url', 'languages', 'recording_url', 'description']
      .forEach((name) => { data[name] = f[name].value; });
    numbers.forEach((name) => { data[name] = Number(f[name].value || '0'); });
    data.waitlist = f.waitlist.checked;
    data.checkin = f.checkin.checked;
    data.speakers = Array.from(form.querySelectorAll('.bw-speaker'), (row) => {
      const inputs = row.querySelectorAll('input');
      return { name: inputs[0].value, affiliation: inputs[1].value };
    }).filter((s) => s.name.trim());
    save('studio_submit', data, { button: event.submitter });
  });
}
