/* blended_experience_sharing, staff's part (loaded for staff only, after experience_sharing.js): moderation
   buttons on each post and reply, reported posts, participation. */
function BlendedExperienceSharingStaff(runtime, element, args) {
  'use strict';
  const { $, el, gettext, format: f, say, pager, when } = window.BlendedXBlocks.block(runtime, element, args);
  return BlendedExperienceSharingBoard(runtime, element, args, ({ call, button, load, statuses }) => {
    const labels = { approve: gettext('Approve'), hide: gettext('Hide'), unhide: gettext('Restore'), pin: gettext('Pin'), unpin: gettext('Unpin') };
    const moderate = (id, action, target) => call('moderate', { post_id: id, action }, () => { say(gettext('Done.')); load(id); }, target);

    function staffOut(heading, nodes) {
      const out = $('[data-staff-out]');
      out.textContent = '';
      out.append(el('h4', { text: heading }), ...nodes);
      out.focus();
    }
    const staffPager = (data, go) => {
      const nav = (label) => el('button', { type: 'button', className: 'blended-secondary', text: label });
      const node = el('p', { className: 'bes-pager' }, [nav(gettext('Previous')), ' ', el('span'), ' ', nav(gettext('Next'))]);
      pager(node, go).show(data);
      return node;
    };
    function flagged(page) {
      return call('flagged', { page }, (d) => staffOut(gettext('Reported posts'), d.posts.length ? [el('ul', {}, d.posts.map((post) =>
        el('li', {}, [el('strong', { text: post.title }), ' · ', post.author, ' · ', post.status === 'published' ? gettext('Published') : statuses[post.status] || post.status,
          el('ul', {}, post.reports.map((rep) => el('li', { text: rep.by + ': ' + rep.reason }))),
          button(labels.approve, (b) => moderate(post.id, 'approve', b)), button(labels.hide, (b) => moderate(post.id, 'hide', b))]))),
      staffPager(d, flagged)] : [el('p', { text: gettext('No reported posts.') })]));
    }
    function participation(page, query) {
      return call('participation', { page, page_size: 50, query }, (d) => {
        const search = el('form', { onsubmit: (e) => { e.preventDefault(); participation(1, e.target.q.value.trim()); } }, [
          el('label', { for: args.uid + '-q', text: gettext('Search learners') }), ' ',
          el('input', { id: args.uid + '-q', name: 'q', type: 'search', value: query }), ' ', el('button', { type: 'submit', text: gettext('Search') })]);
        const head = el('tr', {}, [gettext('Learner'), gettext('Posts'), gettext('Replies'), gettext('Completed')].map((h) => el('th', { scope: 'col', text: h })));
        const rows = d.learners.map((l) => el('tr', {}, [l.name, '' + l.posts, '' + l.replies, l.completed ? when(l.completed) : '—'].map((c) => el('td', { text: c }))));
        staffOut(gettext('Participation'), [search, el('table', {}, [el('thead', {}, [head]), el('tbody', {}, rows)]),
          el('p', { text: f(gettext('{shown} of {total} learners shown.'), { shown: rows.length, total: d.total }) }),
          staffPager(d, (p) => participation(p, query))]);
      });
    }
    if ($('[data-flagged]')) {
      $('[data-flagged]').addEventListener('click', () => flagged(1));
      $('[data-participation]').addEventListener('click', () => participation(1, ''));
    }

    return {
      post(post) {
        const acts = post.status === 'pending' ? ['approve', 'hide'] : post.status === 'hidden' ? ['unhide'] : [post.pinned ? 'unpin' : 'pin', 'hide'];
        if (post.open_flags && post.status === 'published') { acts.push('approve'); }
        return acts.map((action) => button(labels[action], (b) => moderate(post.id, action, b)));
      },
      reply: (reply) => button(reply.hidden ? gettext('Restore reply') : gettext('Hide reply'), (b) => {
        call('moderate', { reply_id: reply.id, action: reply.hidden ? 'unhide' : 'hide' }, () => {
          say(reply.hidden ? gettext('Reply restored.') : gettext('Reply hidden.')); load();
        }, b);
      })
    };
  });
}
