// GSM 03.38 default alphabet and its extension table (each extension character costs two septets).
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'gsm7' | 'ucs2';

/** Single-segment limits: 160 septets in GSM-7, 70 UTF-16 units in UCS-2. */
export const SINGLE_SEGMENT_LIMIT: Record<SmsEncoding, number> = { gsm7: 160, ucs2: 70 };

export interface SmsSize {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  singleSegment: boolean;
}

/** How a handset network would encode `text`: GSM-7 when every character allows it, else UCS-2. */
export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENSION.has(ch)) septets += 2;
    else {
      return { encoding: 'ucs2', units: text.length, singleSegment: text.length <= 70 };
    }
  }
  return { encoding: 'gsm7', units: septets, singleSegment: septets <= 160 };
}
