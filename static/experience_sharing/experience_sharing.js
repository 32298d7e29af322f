/* blended_experience_sharing. Learner text comes as segments (["t",s]|["a",url]|["br"]) → DOM nodes. */
function BlendedExperienceSharing(runtime, element, args) {
  'use strict';
  var B = window.BlendedXBlocks, el = B.el, t = B.i18n(args.i18n), _ = t.gettext;
  var $ = function (sel) { return element.querySelector(sel); };
  var form = $('[data-form]'), list = $('[data-posts]');
  var view = { page: 1, sort: 'newest', tag: null }, editing = null, state;
  if (!form || !args.signed_in) { return; }

  function say(m, e) { B.announce(element, m, e); }
  function fail(result) { say(B.errorMessage(result, t), true); return result; }
  function call(name, body, done) {
    return B.call(runtime, element, name, body).then(function (r) { return r.ok ? done(r) : fail(r); });
  }
  function when(iso) { return B.formatDateTime(iso, B.browserTimeZone(), args.language); }

  function text(segments) {
    var nodes = [];
    segments.forEach(function (s) {
      if (s[0] === 't') { nodes.push(s[1]); }
      else if (s[0] === 'br') { nodes.push(el('br')); }
      else if (s[0] === 'a' && /^https?:\/\//i.test(s[1])) {
        nodes.push(el('a', { href: s[1], rel: 'nofollow noopener ugc', target: '_blank', text: s[1] }));
      }
    });
    return nodes;
  }

  function button(label, onclick, extra) {
    return el('button', Object.assign({ type: 'button', className: 'blended-secondary', onclick: onclick, text: label }, extra || {}));
  }

  function badges(post) {
    var out = [];
    if (post.pinned) { out.push(_('Pinned')); }
    if (post.status === 'pending') { out.push(_('Awaiting approval')); }
    if (post.status === 'hidden') { out.push(_('Hidden')); }
    if (post.open_flags) { out.push(t.format(_('Reported {count}×'), { count: post.open_flags })); }
    return out.map(function (b) { return el('span', { className: 'blended-badge', text: b }); });
  }

  function renderReply(reply) {
    var author = reply.mine ? t.format(_('{name} (you)'), { name: reply.author }) : reply.author;
    return el('li', { className: reply.hidden ? 'bes-reply bes-hidden' : 'bes-reply' }, [
      el('p', { className: 'bes-meta' }, [el('strong', { text: author }), ' · ', when(reply.created),
        reply.hidden ? ' · ' + _('Hidden') : null]),
      el('p', {}, text(reply.body)),
      state.is_staff ? button(reply.hidden ? _('Restore reply') : _('Hide reply'), function () {
        call('moderate', { reply_id: reply.id, action: reply.hidden ? 'unhide' : 'hide' }, function () {
          say(reply.hidden ? _('Reply restored.') : _('Reply hidden.')); load();
        });
      }) : null
    ]);
  }

  function renderPost(post) {
    var headingId = args.uid + '-p' + post.id + '-h', actions = [], replies = el('ul', { className: 'bes-replies' });
    var author = post.author || _('Anonymous');
    if (post.mine) { author = t.format(_('{name} (you)'), { name: author }); }
    post.replies.forEach(function (r) { replies.appendChild(renderReply(r)); });
    if (!post.mine && post.status === 'published') {
      actions.push(button(t.format(_('Useful ({count})'), { count: post.useful_count }), function () {
        call('react', { post_id: post.id, useful: !post.useful_by_me }, function (r) {
          say(r.data.useful_by_me ? _('Marked as useful.') : _('Mark removed.')); load(post.id);
        });
      }, { 'aria-pressed': post.useful_by_me ? 'true' : 'false' }));
      actions.push(post.flagged_by_me ? el('span', { text: _('Reported') }) : button(_('Report'), function () {
        var reason = window.prompt(_('Why should staff look at this post?'));
        if (reason === null) { return; }
        call('flag', { post_id: post.id, reason: reason.slice(0, 500) }, function () {
          say(_('Thank you. Staff will look at this post.')); load(post.id);
        });
      }));
    }
    if (post.mine) {
      actions.push(button(_('Edit'), function () { startEdit(post); }));
      actions.push(button(_('Delete'), function () {
        if (!window.confirm(_('Delete this post? Replies to it will no longer be shown.'))) { return; }
        call('delete_post', { post_id: post.id, version: post.version }, function (r) {
          say(_('Post deleted.')); showProgress(r.data.progress); load();
        });
      }));
    }
    if (state.is_staff) {
      var acts = post.status === 'pending' ? ['approve', 'hide'] : post.status === 'hidden' ? ['unhide']
        : [post.pinned ? 'unpin' : 'pin', 'hide'];
      if (post.open_flags && post.status === 'published') { acts.push('approve'); }
      acts.forEach(function (action) { actions.push(button(staffLabels[action], function () { moderate(post.id, action); })); });
    }
    var replyId = args.uid + '-p' + post.id + '-r';
    var replyForm = post.status !== 'published' ? null : el('form', { className: 'bes-reply-form', onsubmit: function (event) {
      event.preventDefault();
      var box = replyForm.querySelector('textarea');
      if (!box.value.trim()) { say(_('Write a reply first.'), true); box.focus(); return; }
      call('reply', { post_id: post.id, body: box.value }, function (r) {
        say(_('Reply published.')); showProgress(r.data.progress); load(post.id);
      });
    } }, [el('label', { for: replyId, text: _('Your reply') }),
      el('textarea', { id: replyId, rows: '2', maxlength: '5000' }), el('button', { type: 'submit', text: _('Reply') })]);
    var more = post.reply_count > post.replies.length ? button(_('Show all replies'), function () {
      call('replies', { post_id: post.id, page_size: 50 }, function (r) {
        replies.textContent = '';
        r.data.replies.forEach(function (reply) { replies.appendChild(renderReply(reply)); });
        more.remove();
      });
    }) : null;
    return el('li', { className: 'bes-post' + (post.pinned ? ' bes-pinned' : ''), 'data-post': String(post.id) }, [
      el('article', { 'aria-labelledby': headingId }, [
        el('h4', { id: headingId, tabindex: '-1', text: post.title }),
        el('p', { className: 'bes-meta' }, [el('strong', { text: author }), ' · ', when(post.created)].concat(badges(post))),
        el('div', { className: 'bes-body' }, text(post.body)),
        post.tags.length ? el('p', { className: 'bes-tags', text: _('Tags:') + ' ' + post.tags.join(', ') }) : null,
        el('div', { className: 'bes-actions' }, actions),
        el('p', { className: 'bes-meta', text: t.format(_('Replies: {count}'), { count: post.reply_count }) }),
        replies, more, replyForm
      ])
    ]);
  }

  var staffLabels = { approve: _('Approve'), hide: _('Hide'), unhide: _('Restore'), pin: _('Pin'), unpin: _('Unpin') };
  function moderate(id, action) {
    call('moderate', { post_id: id, action: action }, function () { say(_('Done.')); load(id); });
  }

  function showProgress(progress) {
    var node = $('[data-progress]');
    node.textContent = _('Your progress:') + ' ' + progress.text;
    if (progress.completed) { node.appendChild(el('span', { className: 'blended-badge bes-done', text: _('Completed') })); }
  }

  function render(focusId) {
    list.textContent = '';
    if (!state.posts.length) { list.appendChild(el('li', { text: _('No posts yet. Be the first to share.') })); }
    state.posts.forEach(function (post) { list.appendChild(renderPost(post)); });
    showProgress(state.progress);
    var pages = Math.max(1, Math.ceil(state.total / state.page_size)), pager = $('[data-pager]');
    pager.textContent = '';
    if (pages > 1) {
      pager.appendChild(button(_('Previous'), function () { view.page -= 1; load(); }, { disabled: state.page <= 1 }));
      pager.appendChild(el('span', { text: ' ' + t.format(_('Page {page} of {pages}'), { page: state.page, pages: pages }) + ' ' }));
      pager.appendChild(button(_('Next'), function () { view.page += 1; load(); }, { disabled: state.page >= pages }));
    }
    var session = state.session, box = $('[data-session]');
    if (session) {
      box.hidden = false; box.textContent = '';
      box.appendChild(el('p', {}, [el('strong', { text: _('Live session:') + ' ' }), session.title, ' · ', when(session.start)]));
      if (session.join_url) { box.appendChild(el('a', { href: session.join_url, rel: 'noopener', target: '_blank', text: _('Join the live session') })); }
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
    $('[data-form-heading]').textContent = _('Edit your post');
    $('[data-submit]').textContent = _('Save changes');
    $('[data-cancel]').hidden = false;
    form.title.focus();
  }

  function resetForm() {
    editing = null; form.reset();
    $('[data-form-heading]').textContent = _('Share your experience');
    $('[data-submit]').textContent = _('Publish');
    $('[data-cancel]').hidden = true;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (form.title.value.trim().length < 3 || !form.body.value.trim()) {
      say(_('Give your post a title (at least 3 characters) and some text.'), true);
      (form.title.value.trim().length < 3 ? form.title : form.body).focus();
      return;
    }
    var body = { title: form.title.value, body: form.body.value,
      tags: [].filter.call(form.querySelectorAll('[name=tags]'), function (b) { return b.checked; }).map(function (b) { return b.value; }),
      anonymous: form.anonymous ? form.anonymous.checked : false };
    if (editing) { body.post_id = editing.id; body.version = editing.version; }
    call(editing ? 'edit_post' : 'create_post', body, function (r) {
      var post = r.data.post;
      say(post.status === 'pending' ? _('Saved. Your post will appear once staff approve it.') : _('Your post is published.'));
      resetForm(); showProgress(r.data.progress);
      view.page = 1; load(post.id);
    });
  });
  $('[data-cancel]').addEventListener('click', resetForm);
  $('[data-sort]').addEventListener('change', function (e) { view.sort = e.target.value; view.page = 1; load(); });
  if ($('[data-tag]')) { $('[data-tag]').addEventListener('change', function (e) { view.tag = e.target.value || null; view.page = 1; load(); }); }

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
        staffOut(_('Reported posts'), r.data.posts.length ? [el('ul', {}, r.data.posts.map(function (post) {
          return el('li', {}, [el('strong', { text: post.title }), ' · ', post.author, ' · ' + post.status,
            el('ul', {}, post.reports.map(function (rep) { return el('li', { text: rep.by + ': ' + rep.reason }); })),
            button(_('Keep (dismiss reports)'), function () { moderate(post.id, 'approve'); }),
            button(_('Hide'), function () { moderate(post.id, 'hide'); })]);
        }))] : [el('p', { text: _('No reported posts.') })]);
      });
    });
    $('[data-participation]').addEventListener('click', function () {
      call('participation', { page: 1, page_size: 200 }, function (r) {
        var head = el('tr', {}, [_('Learner'), _('Posts'), _('Replies'), _('Completed')].map(function (h) { return el('th', { scope: 'col', text: h }); }));
        var rows = r.data.learners.map(function (l) {
          return el('tr', {}, [l.name, String(l.posts), String(l.replies), l.completed ? when(l.completed) : '—'].map(function (c) { return el('td', { text: c }); }));
        });
        staffOut(_('Participation'), [el('table', {}, [el('thead', {}, [head]), el('tbody', {}, rows)]),
          el('p', { text: t.format(_('{shown} of {total} learners shown.'), { shown: rows.length, total: r.data.total }) })]);
      });
    });
  }
  say(_('Loading…'));
  load().then(function () { if (state) { say(''); } });
}
