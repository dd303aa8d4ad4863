/**
 * Русские слова подробностей TLS (render/tls-details.ts: --show-certs и .tls в оболочке). Ключи — как
 * в tls-en.ts. Причины, которые называет OpenSSL, остаются как есть. Часть ru.ts.
 */
import type { TlsKey } from './tls-en.js';

export const TLS_RU: Readonly<Record<TlsKey, string>> = {
  'tls.protocol': 'протокол {protocol}, шифр {cipher}',
  'tls.alpn.offered': 'клиент предложил {names}',
  'tls.alpn.none-offered': 'клиент ничего не предлагал',
  'tls.alpn.chosen': 'сервер выбрал {name}',
  'tls.alpn.none-chosen': 'сервер ничего не выбрал',
  'tls.sni.none': 'SNI: имя не отправлено (IP-адрес в SNI не передаётся)',
  'tls.sni.sent': 'SNI: отправлено имя {name}',
  'tls.client-certificate.none': 'сертификат клиента: не отправлялся',
  'tls.client-certificate.sent': 'сертификат клиента: отправлен {name}',
  'tls.certificate': 'сертификат {n} ({role}): {subject}',
  'tls.certificate.self-signed': 'сертификат {n} ({role}): {subject} (самоподписанный)',
  'tls.certificate.none': 'сертификат: сервер не прислал ни одного',
  'tls.role.server': 'сервера',
  'tls.role.root': 'корневой УЦ',
  'tls.role.ca': 'УЦ',
  'tls.role.intermediate': 'промежуточный УЦ',
  'tls.issuer': 'издатель: {issuer}',
  'tls.names': 'имена: {names}',
  'tls.valid': 'действителен: с {from} по {to} ({state})',
  'tls.valid.not-yet': 'ЕЩЁ НЕ ДЕЙСТВУЕТ: начнёт действовать через {n} {n|день|дня|дней}',
  'tls.valid.expired': 'ИСТЁК {n} {n|день|дня|дней} назад',
  'tls.valid.left': '{n|остался|осталось|осталось} {n} {n|день|дня|дней}',
  'tls.key': 'ключ: {key}',
  'tls.key.unknown': 'тип ключа неизвестен',
  'tls.key.bits': '{n} {n|бит|бита|бит}',
  'tls.key.curve': 'кривая {curve}',
  'tls.name.among': 'имя {name} есть среди имён сертификата',
  'tls.name.not-among': 'имени {name} НЕТ среди имён сертификата',
  'tls.verification.ok': 'проверка: пройдена (цепочке сертификатов можно доверять, {checked})',
  'tls.verification.failed': 'проверка: НЕ ПРОЙДЕНА ({checked})',
  'tls.verification.failed-insecure': 'проверка: НЕ ПРОЙДЕНА ({checked}); соединение продолжено из-за --insecure',
};
