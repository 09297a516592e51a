import type { Locale } from '#src/config/app-config.js';

/**
 * Built-in wording per locale. `sms` stays within one segment (see sms-encoding.ts): GSM-7 for en
 * and uz (plain ASCII apostrophes, not U+02BB), UCS-2 for ru. The HTML part is derived from `text`.
 * Placeholders: {{code}} {{minutes}} {{product}}.
 */
export interface OtpWording {
  sms: string;
  subject: string;
  text: string;
}

export interface NoticeWording {
  subject: string;
  text: string;
}

/** Purpose used when a purpose has no wording of its own. */
export const DEFAULT_PURPOSE = 'default';
/** Reserved template name of the password-changed notice (email only, no code). */
export const PASSWORD_CHANGED = 'password_changed';

export const OTP_WORDING: Record<Locale, Record<string, OtpWording>> = {
  en: {
    hr_registration: {
      sms: '{{product}} registration code: {{code}}. Valid for {{minutes}} min. Do not share it with anyone.',
      subject: 'Your {{product}} registration code',
      text: 'Your {{product}} registration code is {{code}}.\n\nIt is valid for {{minutes}} minutes. Do not share it with anyone: we will never ask you for it.\n\nIf you did not try to register, you can ignore this email.',
    },
    password_reset: {
      sms: '{{product}} password reset code: {{code}}. Valid for {{minutes}} min. If you did not ask for it, ignore this message.',
      subject: 'Your {{product}} password reset code',
      text: 'Your {{product}} password reset code is {{code}}.\n\nIt is valid for {{minutes}} minutes. Do not share it with anyone: we will never ask you for it.\n\nIf you did not ask to reset your password, ignore this email; your password stays as it is.',
    },
    login: {
      sms: '{{product}} login code: {{code}}. Valid for {{minutes}} min. Do not share it with anyone.',
      subject: 'Your {{product}} login code',
      text: 'Your {{product}} login code is {{code}}.\n\nIt is valid for {{minutes}} minutes. Do not share it with anyone: we will never ask you for it.\n\nIf you did not try to sign in, ignore this email and consider changing your password.',
    },
    [DEFAULT_PURPOSE]: {
      sms: '{{product}} verification code: {{code}}. Valid for {{minutes}} min. Do not share it with anyone.',
      subject: 'Your {{product}} verification code',
      text: 'Your {{product}} verification code is {{code}}.\n\nIt is valid for {{minutes}} minutes. Do not share it with anyone: we will never ask you for it.\n\nIf you did not ask for this code, you can ignore this email.',
    },
  },
  ru: {
    hr_registration: {
      sms: '{{product}}: код регистрации {{code}} ({{minutes}} мин). Не сообщайте его.',
      subject: 'Код регистрации {{product}}',
      text: 'Ваш код регистрации в {{product}}: {{code}}.\n\nКод действует {{minutes}} мин. Никому его не сообщайте: мы никогда не спрашиваем коды.\n\nЕсли вы не регистрировались, просто проигнорируйте это письмо.',
    },
    password_reset: {
      sms: '{{product}}: код сброса пароля {{code}} ({{minutes}} мин). Не сообщайте его.',
      subject: 'Код сброса пароля {{product}}',
      text: 'Ваш код сброса пароля в {{product}}: {{code}}.\n\nКод действует {{minutes}} мин. Никому его не сообщайте: мы никогда не спрашиваем коды.\n\nЕсли вы не запрашивали сброс пароля, проигнорируйте это письмо: пароль останется прежним.',
    },
    login: {
      sms: '{{product}}: код для входа {{code}} ({{minutes}} мин). Не сообщайте его.',
      subject: 'Код для входа в {{product}}',
      text: 'Ваш код для входа в {{product}}: {{code}}.\n\nКод действует {{minutes}} мин. Никому его не сообщайте: мы никогда не спрашиваем коды.\n\nЕсли вы не пытались войти, проигнорируйте это письмо и смените пароль.',
    },
    [DEFAULT_PURPOSE]: {
      sms: '{{product}}: код подтверждения {{code}} ({{minutes}} мин). Не сообщайте его.',
      subject: 'Код подтверждения {{product}}',
      text: 'Ваш код подтверждения {{product}}: {{code}}.\n\nКод действует {{minutes}} мин. Никому его не сообщайте: мы никогда не спрашиваем коды.\n\nЕсли вы не запрашивали код, просто проигнорируйте это письмо.',
    },
  },
  uz: {
    hr_registration: {
      sms: "{{product}} ro'yxatdan o'tish kodi: {{code}}. {{minutes}} daqiqa amal qiladi. Kodni hech kimga bermang.",
      subject: "{{product}} ro'yxatdan o'tish kodi",
      text: "{{product}} ro'yxatdan o'tish kodingiz: {{code}}.\n\nKod {{minutes}} daqiqa amal qiladi. Uni hech kimga bermang: biz hech qachon kod so'ramaymiz.\n\nAgar ro'yxatdan o'tmoqchi bo'lmagan bo'lsangiz, bu xatga e'tibor bermang.",
    },
    password_reset: {
      sms: "{{product}} parolni tiklash kodi: {{code}}. {{minutes}} daqiqa amal qiladi. So'ramagan bo'lsangiz, e'tibor bermang.",
      subject: '{{product}} parolni tiklash kodi',
      text: "{{product}} parolni tiklash kodingiz: {{code}}.\n\nKod {{minutes}} daqiqa amal qiladi. Uni hech kimga bermang: biz hech qachon kod so'ramaymiz.\n\nAgar parolni tiklashni so'ramagan bo'lsangiz, bu xatga e'tibor bermang: parolingiz o'zgarmaydi.",
    },
    login: {
      sms: '{{product}} kirish kodi: {{code}}. {{minutes}} daqiqa amal qiladi. Kodni hech kimga bermang.',
      subject: '{{product}} kirish kodi',
      text: "{{product}} kirish kodingiz: {{code}}.\n\nKod {{minutes}} daqiqa amal qiladi. Uni hech kimga bermang: biz hech qachon kod so'ramaymiz.\n\nAgar tizimga kirmoqchi bo'lmagan bo'lsangiz, bu xatga e'tibor bermang va parolingizni almashtiring.",
    },
    [DEFAULT_PURPOSE]: {
      sms: '{{product}} tasdiqlash kodi: {{code}}. {{minutes}} daqiqa amal qiladi. Kodni hech kimga bermang.',
      subject: '{{product}} tasdiqlash kodi',
      text: "{{product}} tasdiqlash kodingiz: {{code}}.\n\nKod {{minutes}} daqiqa amal qiladi. Uni hech kimga bermang: biz hech qachon kod so'ramaymiz.\n\nAgar kod so'ramagan bo'lsangiz, bu xatga e'tibor bermang.",
    },
  },
};

export const PASSWORD_CHANGED_WORDING: Record<Locale, NoticeWording> = {
  en: {
    subject: 'Your {{product}} password was changed',
    text: 'The password of your {{product}} account was just changed.\n\nIf it was you, there is nothing else to do. If it was not, reset your password at once and contact support.',
  },
  ru: {
    subject: 'Пароль {{product}} изменён',
    text: 'Пароль вашей учётной записи {{product}} только что изменён.\n\nЕсли это были вы, больше ничего делать не нужно. Если нет, немедленно сбросьте пароль и обратитесь в поддержку.',
  },
  uz: {
    subject: "{{product}} parolingiz o'zgartirildi",
    text: "{{product}} hisobingiz paroli hozirgina o'zgartirildi.\n\nAgar bu siz bo'lsangiz, boshqa hech narsa qilish shart emas. Aks holda, parolni darhol tiklang va qo'llab-quvvatlash xizmatiga murojaat qiling.",
  },
};
