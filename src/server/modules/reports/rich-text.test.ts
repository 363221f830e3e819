import { describe, expect, it } from 'vitest';
import { sanitizeReportHtml } from './rich-text';

/**
 * sanitize-html is held at 2.17.5, the last release that runs on Node 20 (package.json). The advisories fixed after it
 * (2.17.6: raw text of textarea/xmp inside svg/math re-emitted unescaped; 2.17.7: SVG animation elements setting a
 * javascript: URL) need svg, math, textarea or animation elements in the allow-list. Ours allows none of them, and the
 * stored HTML is written back out by the domain parser; these are those advisories' payloads.
 */
const PAYLOADS = [
  '<svg><textarea><img src=x onerror=alert(1)></textarea></svg>',
  '<math><xmp><img src=x onerror=alert(1)></xmp></math>',
  '<svg><textarea></textarea><style><img src=x onerror=alert(1)></style></svg>',
  '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="20">点我</text></a></svg>',
  '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
  '<select><option><img src=x onerror=alert(1)></option></select>',
  '<p>正文<svg><textarea><iframe src="javascript:alert(1)"></iframe></textarea></svg></p>',
];

describe('report HTML against the sanitize-html advisories fixed after 2.17.5', () => {
  it.each(PAYLOADS)(
    '%s leaves no element or attribute outside the allow-list (markup in text stays escaped text)',
    (payload) => {
      const out = sanitizeReportHtml(payload);
      const tags = [...out.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)];
      for (const [, name, attrs] of tags) {
        expect(name).toMatch(/^(p|br|strong|b|em|i|u|s|ol|ul|li|table|thead|tbody|tr|td|th|h[1-6])$/);
        expect(attrs.replace('/', '').trim()).toBe('');
      }
      expect(out.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]/); // anything else is entity-escaped text
    },
  );
});
