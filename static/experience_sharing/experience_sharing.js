/* blended_experience_sharing: learner text comes as segments, built into DOM nodes here. */
function BlendedExperienceSharing(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks, el = B.el, t = B.i18n(args.i18n), gettext = t.gettext, f = t.format;
  var $ = function (sel) { return element.querySelector(sel); };
  var form = $('[data-form]'), list = $('[data-posts]');
  var view = { page: 1, sort: 'newest', tag: null }, editing = null, state;
  if (!form || !args.signed_in) { return; }

  function say(m, e) { B.announce(element, m, e); }
  function fail(r) { say(B.errorMessage(r, t), true); }
  function call(name, body, done) {
    return B.call(runtime, element, name, body).then(function (r) { return r.ok ? done(r) : fail(r); });
  }
  function when(iso) { return B.formatDateTime(iso, B.browserTimeZone(), args.language); }

  function text(segments) {
    return segments.map(function (s) {
      return s[0] === 'br' ? el('br') : s[0] === 'a' && /^https?:\/\//i.test(s[1])
        ? el('a', { href: s[1], rel: 'nofollow noopener ugc', target: '_blank', text: s[1] }) : s[1];
    });
  }

  function button(label, onclick, extra) {
    return el('button', Object.assign({ type: 'button', className: 'blended-secondary', onclick: onclick, text: label }, extra || {}));
  }

  function badges(post) {
    var out = [];
    if (post.pinned) { out.push(gettext('Pinned')); }
    if (post.status === 'pending') { out.push(gettext('Awaiting approval')); }
    if (post.status === 'hidden') { out.push(gettext('Hidden')); }
    return out.map(function (b) { return el('span', { className: 'blended-badge', text: b }); });
  }

  function who(name, mine) { return mine ? f(gettext('{name} (you)'), { name: name }) : name; }
  function renderReply(reply) {
    return el('li', { className: 'bes-reply' + (reply.hidden ? ' bes-hidden' : '') }, [
      el('p', { className: 'bes-meta' }, [el('strong', { text: who(reply.author || gettext('Author (anonymous)'), reply.mine) }), ' · ', when(reply.created),
        reply.hidden ? ' · ' + gettext('Hidden') : null]),
      el('p', { dir: 'auto' }, text(reply.body)),
      state.is_staff ? button(reply.hidden ? gettext('Restore reply') : gettext('Hide reply'), function () {
        call('moderate', { reply_id: reply.id, action: reply.hidden ? 'unhide' : 'hide' }, function () {
          say(reply.hidden ? gettext('Reply restored.') : gettext('Reply hidden.')); load();
        });
      }) : null
    ]);
  }

  function renderPost(post) {
    var id = args.uid + '-p' + post.id, headingId = id + '-h', actions = [], replies = el('ul', { className: 'bes-replies' });
    var author = who(post.author || gettext('Anonymous'), post.mine);
    post.replies.forEach(function (r) { replies.appendChild(renderReply(r)); });
    if (!post.mine && post.status === 'published') {
      actions.push(button(f(gettext('Useful ({count})'), { count: post.useful_count }), function () {
        call('react', { post_id: post.id, useful: !post.useful_by_me }, function (r) {
          say(r.data.useful_by_me ? gettext('Marked as useful.') : gettext('Mark removed.')); load(post.id);
        });
      }, { 'aria-pressed': post.useful_by_me ? 'true' : 'false' }));
      actions.push(post.flagged_by_me ? el('span', { text: gettext('Reported') }) : button(gettext('Report'), function () {
        var reason = window.prompt(gettext('Why should staff look at this post?'));
        if (reason === null) { return; }
        call('flag', { post_id: post.id, reason: reason.slice(0, 500) }, function () {
          say(gettext('Thank you. Staff will look at this post.')); load(post.id);
        });
      }));
    }
    if (post.mine) {
      actions.push(button(gettext('Edit'), function () { startEdit(post); }));
      actions.push(button(gettext('Delete'), function () {
        if (!window.confirm(gettext('Delete this post? Replies to it will no longer be shown.'))) { return; }
        call('delete_post', { post_id: post.id, version: post.version }, function (r) {
          say(gettext('Post deleted.')); showProgress(r.data.progress); load();
        });
      }));
    }
    if (state.is_staff) {
      var acts = post.status === 'pending' ? ['approve', 'hide'] : post.status === 'hidden' ? ['unhide']
        : [post.pinned ? 'unpin' : 'pin', 'hide'];
      if (post.open_flags && post.status === 'published') { acts.push('approve'); }
      acts.forEach(function (action) { actions.push(button(staffLabels[action], function () { moderate(post.id, action); })); });
    }
    var replyForm = post.status !== 'published' ? null : el('form', { className: 'bes-reply-form', onsubmit: function (event) {
      event.preventDefault();
      var box = replyForm.querySelector('textarea');
      if (!box.value.trim()) { say(gettext('Write a reply first.'), true); box.focus(); return; }
      call('reply', { post_id: post.id, body: box.value }, function (r) {
        say(gettext('Reply published.')); showProgress(r.data.progress); load(post.id);
      });
    } }, [el('label', { for: id + 'r', text: gettext('Your reply') }),
      el('textarea', { id: id + 'r', rows: '2', maxlength: '5000', dir: 'auto' }), el('button', { type: 'submit', text: gettext('Reply') })]);
    var more = post.reply_count > post.replies.length ? button(gettext('Show all replies'), function () {
      call('replies', { post_id: post.id, page_size: 50 }, function (r) {
        replies.textContent = '';
        r.data.replies.forEach(function (reply) { replies.appendChild(renderReply(reply)); });
        more.remove();
      });
    }) : null;
    return el('li', { className: 'bes-post' + (post.pinned ? ' bes-pinned' : ''), 'data-post': String(post.id) }, [
      el('article', { 'aria-labelledby': headingId }, [
        el('h4', { id: headingId, tabindex: '-1', dir: 'auto', text: post.title }),
        el('p', { className: 'bes-meta' }, [el('strong', { text: author }), ' · ', when(post.created)].concat(badges(post))),
        el('div', { className: 'bes-body', dir: 'auto' }, text(post.body)),
        post.tags.length ? el('p', { className: 'bes-tags', text: gettext('Tags:') + ' ' + post.tags.join(', ') }) : null,
        el('div', { className: 'bes-actions' }, actions),
        el('p', { className: 'bes-meta', text: f(gettext('Replies: {count}'), { count: post.reply_count }) }),
        replies, more, replyForm
      ])
    ]);
  }

  var staffLabels = { approve: gettext('Approve'), hide: gettext('Hide'), unhide: gettext('Restore'), pin: gettext('Pin'), unpin: gettext('Unpin') };
  function moderate(id, action) {
    call('moderate', { post_id: id, action: action }, function () { say(gettext('Done.')); load(id); });
  }

  function showProgress(progress) {
    var node = $('[data-progress]');
    node.textContent = gettext('Your progress:') + ' ' + progress.text;
    if (progress.completed) { node.appendChild(el('span', { className: 'blended-badge bes-done', text: gettext('Completed') })); }
  }

  function render(focusId) {
    list.textContent = '';
    if (!state.posts.length) { list.appendChild(el('li', { text: gettext('No posts yet. Be the first to share.') })); }
    state.posts.forEach(function (post) { list.appendChild(renderPost(post)); });
    showProgress(state.progress);
    var pages = Math.max(1, Math.ceil(state.total / state.page_size)), pager = $('[data-pager]');
    pager.textContent = '';
    if (pages > 1) {
      pager.appendChild(button(gettext('Previous'), function () { view.page -= 1; load(); }, { disabled: state.page <= 1 }));
      pager.appendChild(el('span', { text: ' ' + f(gettext('Page {page} of {pages}'), { page: state.page, pages: pages }) + ' ' }));
      pager.appendChild(button(gettext('Next'), function () { view.page += 1; load(); }, { disabled: state.page >= pages }));
    }
    var session = state.session, box = $('[data-session]');
    if (session) {
      box.hidden = false; box.textContent = '';
      box.appendChild(el('p', {}, [el('strong', { text: gettext('Live session:') + ' ' }), session.title, ' · ', when(session.start)]));
      if (session.join_url) { box.appendChild(el('a', { href: session.join_url, rel: 'noopener', target: '_blank', text: gettext('Join the live session') })); }
    }
    var target = focusId && list.querySelector('[data-post="' + focusId + '"] h4');
    if (target) { target.focus(); }
  }

  function load(focusId) {
    return call('get_state', { page: view.page, sort: view.sort, tag: view.tag }, function (r) {
      state = r.data; render(focusId);
    });
  }

  function startEdit(post) {
    editing = post;
    form.title.value = post.title; form.body.value = post.text || '';
    [].forEach.call(form.querySelectorAll('[name=tags]'), function (box) { box.checked = post.tags.indexOf(box.value) >= 0; });
    if (form.anonymous) { form.anonymous.checked = post.anonymous; }
    mode(gettext('Edit your post'), gettext('Save changes'), false);
    form.title.focus();
  }

  function mode(heading, submit, plain) {
    $('[data-form-heading]').textContent = heading; $('[data-submit]').textContent = submit; $('[data-cancel]').hidden = plain;
  }
  function resetForm() { editing = null; form.reset(); mode(gettext('Share your experience'), gettext('Publish'), true); }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (form.title.value.trim().length < 3 || !form.body.value.trim()) {
      say(gettext('Give your post a title (at least 3 characters) and some text.'), true);
      (form.title.value.trim().length < 3 ? form.title : form.body).focus();
      return;
    }
    var body = { title: form.title.value, body: form.body.value,
      tags: [].filter.call(form.querySelectorAll('[name=tags]'), function (b) { return b.checked; }).map(function (b) { return b.value; }),
      anonymous: form.anonymous ? form.anonymous.checked : false };
    if (editing) { body.post_id = editing.id; body.version = editing.version; }
    call(editing ? 'edit_post' : 'create_post', body, function (r) {
      var post = r.data.post;
      say(post.status === 'pending' ? gettext('Saved. Your post will appear once staff approve it.') : gettext('Your post is published.'));
      resetForm(); showProgress(r.data.progress);
      view.page = 1; load(post.id);
    });
  });
  $('[data-cancel]').addEventListener('click', resetForm);
  [['sort', $('[data-sort]')], ['tag', $('[data-tag]')]].forEach(function (c) {
    if (c[1]) { c[1].addEventListener('change', function (e) { view[c[0]] = e.target.value || null; view.page = 1; load(); }); }
  });

  function staffOut(heading, nodes) {
    var out = $('[data-staff-out]');
    out.textContent = '';
    out.appendChild(el('h4', { text: heading }));
    nodes.forEach(function (n) { out.appendChild(n); });
    out.focus();
  }
  if ($('[data-flagged]')) {
    $('[data-flagged]').addEventListener('click', function () {
      call('flagged', {}, function (r) {
        staffOut(gettext('Reported posts'), r.data.posts.length ? [el('ul', {}, r.data.posts.map(function (post) {
          return el('li', {}, [el('strong', { text: post.title }), ' · ', post.author, ' · ' + post.status,
            el('ul', {}, post.reports.map(function (rep) { return el('li', { text: rep.by + ': ' + rep.reason }); })),
            button(staffLabels.approve, function () { moderate(post.id, 'approve'); }),
            button(gettext('Hide'), function () { moderate(post.id, 'hide'); })]);
        }))] : [el('p', { text: gettext('No reported posts.') })]);
      });
    });
    $('[data-participation]').addEventListener('click', function () {
      call('participation', { page: 1, page_size: 200 }, function (r) {
        var head = el('tr', {}, [gettext('Learner'), gettext('Posts'), gettext('Replies'), gettext('Completed')].map(function (h) { return el('th', { scope: 'col', text: h }); }));
        var rows = r.data.learners.map(function (l) {
          return el('tr', {}, [l.name, '' + l.posts, '' + l.replies, l.completed ? when(l.completed) : '—'].map(function (c) { return el('td', { text: c }); }));
        });
        staffOut(gettext('Participation'), [el('table', {}, [el('thead', {}, [head]), el('tbody', {}, rows)]),
          el('p', { text: f(gettext('{shown} of {total} learners shown.'), { shown: rows.length, total: r.data.total }) })]);
      });
    });
  }
  say(gettext('Loading…'));
  load().then(function () { if (state) { say(''); } });
}
