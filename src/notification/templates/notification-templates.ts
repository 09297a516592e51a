import { Logger } from '@nestjs/common';
import type { Locale } from '#src/config/app-config.js';
import {
  DEFAULT_PURPOSE,
  OTP_WORDING,
  PASSWORD_CHANGED,
  PASSWORD_CHANGED_WORDING,
} from './builtin-templates.js';
import { smsSize } from './sms-encoding.js';
import {
  LOCALES,
  loadTemplateOverrides,
  overrideKey,
  type TemplateOverrides,
  type TemplatePart,
} from './template-overrides.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface OtpTemplateInput {
  code: string;
  purpose: string;
  /** Unknown or missing locales fall back to the default locale. */
  locale?: string;
  ttlSeconds: number;
}

export interface TemplateOptions {
  productName: string;
  defaultLocale: Locale;
  templatesDir?: string;
}

type Vars = Record<string, string>;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

const fill = (template: string, vars: Vars, escape: (s: string) => string = (s) => s): string =>
  template.replace(/\{\{\s*(code|minutes|product)\s*\}\}/g, (_, name: string) =>
    escape(vars[name] ?? ''),
  );

const minutesOf = (ttlSeconds: number): string => String(Math.max(1, Math.round(ttlSeconds / 60)));

/** Built-in HTML: the text's paragraphs, escaped, with the code set large. */
function htmlFromText(text: string): string {
  const paragraphs = escapeHtml(text)
    .split(/\n{2,}/)
    .map((p) => p.replace(/\n/g, '<br>'))
    .map((p) =>
      p.replace(
        /\{\{\s*code\s*\}\}/g,
        '<strong style="font-size:24px;letter-spacing:4px">{{code}}</strong>',
      ),
    )
    .map((p) => `<p>${p}</p>`);
  return `<!doctype html>\n<html><body style="font-family:sans-serif">\n${paragraphs.join('\n')}\n</body></html>`;
}

/**
 * Message texts per purpose and locale, from the built-in wording or from TEMPLATES_DIR
 * (`<dir>/<locale>/<purpose>.sms.txt`, `.email.subject.txt`, `.email.txt`, `.email.html`; a
 * `default.*` file covers purposes without their own). Overrides are read once, at construction.
 */
export class NotificationTemplates {
  private readonly logger = new Logger(NotificationTemplates.name);
  private readonly overrides: TemplateOverrides;

  constructor(private readonly options: TemplateOptions) {
    this.overrides = loadTemplateOverrides(options.templatesDir);
    this.warnAboutLongSms();
  }

  otpSms(input: OtpTemplateInput): string {
    const locale = this.localeOf(input.locale);
    return fill(this.otpPart(locale, input.purpose, 'sms'), this.vars(input));
  }

  otpEmail(input: OtpTemplateInput): RenderedEmail {
    const locale = this.localeOf(input.locale);
    const vars = this.vars(input);
    const text = this.otpPart(locale, input.purpose, 'text');
    // The HTML part follows the text: a purpose's own text file never gets the default's HTML.
    const ownText = this.override(locale, input.purpose, 'text') !== undefined;
    const html =
      this.override(locale, input.purpose, 'html') ??
      (ownText ? undefined : this.override(locale, DEFAULT_PURPOSE, 'html')) ??
      htmlFromText(text);
    return {
      subject: fill(this.otpPart(locale, input.purpose, 'subject'), vars),
      text: fill(text, vars),
      html: fill(html, vars, escapeHtml),
    };
  }

  passwordChangedEmail(localeName?: string): RenderedEmail {
    const locale = this.localeOf(localeName);
    const vars = { product: this.options.productName };
    const builtin = PASSWORD_CHANGED_WORDING[locale];
    const text = this.override(locale, PASSWORD_CHANGED, 'text') ?? builtin.text;
    const html = this.override(locale, PASSWORD_CHANGED, 'html') ?? htmlFromText(text);
    return {
      subject: fill(this.override(locale, PASSWORD_CHANGED, 'subject') ?? builtin.subject, vars),
      text: fill(text, vars),
      html: fill(html, vars, escapeHtml),
    };
  }

  private localeOf(locale: string | undefined): Locale {
    return LOCALES.includes(locale as Locale) ? (locale as Locale) : this.options.defaultLocale;
  }

  private vars(input: OtpTemplateInput): Vars {
    return {
      code: input.code,
      minutes: minutesOf(input.ttlSeconds),
      product: this.options.productName,
    };
  }

  private override(locale: Locale, purpose: string, part: TemplatePart): string | undefined {
    return this.overrides.get(overrideKey(locale, purpose, part));
  }

  private otpPart(locale: Locale, purpose: string, part: Exclude<TemplatePart, 'html'>): string {
    const wording = OTP_WORDING[locale];
    return (
      this.override(locale, purpose, part) ??
      this.override(locale, DEFAULT_PURPOSE, part) ??
      (Object.hasOwn(wording, purpose) ? wording[purpose] : wording[DEFAULT_PURPOSE])[part]
    );
  }

  private warnAboutLongSms(): void {
    for (const [key, body] of this.overrides) {
      if (!key.endsWith('.sms')) continue;
      const sample = fill(body, {
        code: '123456',
        minutes: '10',
        product: this.options.productName,
      });
      const size = smsSize(sample);
      if (!size.singleSegment) {
        this.logger.warn(
          `template ${key} renders to ${size.units} ${size.encoding} units: more than one SMS segment`,
        );
      }
    }
  }
}
