function BlendedWebinar(runtime, element, args) {
  'use strict';
  var t = window.BlendedXBlocks.i18n(args.i18n);
  window.BlendedXBlocks.announce(element, t.gettext('Loading…'));
}
