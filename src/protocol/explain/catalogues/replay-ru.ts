/**
 * Русские слова причин, по которым воспроизведение записи сеанса (replay, step с сервером) не
 * сошлось на шаге, и подписи отчёта о различии. Ключи — как в replay-en.ts. Загружается только для
 * запуска на русском. Номера строк, теги и текст из записи и от сервера не переводятся.
 */
import type { ReplayKey } from './replay-en.js';

export const REPLAY_RU: Readonly<Record<ReplayKey, string>> = {
  'replay.must-not-appear': 'строки {line} быть не должно, а сервер её прислал',
  'replay.differs-at': '{what} в строке {line}; ожидалось: {wanted}',
  'replay.greeting-differs': 'приветствие отличается',
  'replay.completion-differs': 'завершающий отклик отличается',
  'replay.continuation-differs': 'промежуточный отклик («+») отличается',
  'replay.reply-differs': 'отклик отличается',
  'replay.multiline-goes-on': 'многострочный отклик продолжается там, где в записи он кончается',
  'replay.not-before-completion': 'строка {line} не пришла до завершения команды',
  'replay.unexpected-completion': 'завершающий отклик, которого здесь в записи нет',
  'replay.unexpected-continuation': 'промежуточный отклик («+»), которого здесь в записи нет',
  'replay.no-extra-expected': 'ожидалась строка {line}, а других откликов без тега запись не допускает (# match: no-extra)',
  'replay.no-extra': 'отклик без тега, которого нет в записи (# match: no-extra)',
  'replay.unexpected-line': 'строка, которой здесь в записи нет',
  'replay.closest': '{reason}; ближайший отклик сервера расходится с записью в строке {line}',
  'replay.completed-with': '{reason}; команда завершилась откликом {text}',
  'replay.apop': '{reason}; дайджест APOP из записи, отправленный как есть, не равен MD5 от метки времени её приветствия {timestamp} и объявленного секрета {user}: должно быть {digest} (RFC 1939 §7)',
  'replay.broke': 'соединение оборвалось ({error})',
  'replay.server-closed': 'сервер закрыл соединение',
  'replay.before-greeting': '{why} до приветствия',
  'replay.not-received': '{why}; {what} так и не пришла',
  'replay.timed-out': '{what} не пришла за {seconds} с',
  'replay.line': 'строка {line}',
  'replay.the-greeting': 'строка приветствия',

  'replay.wanted.text': '{text}',
  'replay.wanted.captured': '${name} (запомнено как {value})',
  'replay.wanted.value': 'значение для ${name}',
  'replay.wanted.any-value': 'значение для $',
  'replay.wanted.end-of-line': 'конец строки',
  'replay.wanted.literal-data': 'данные литерала в точности как в записи',
  'replay.wanted.literal-end': 'конец строки литерала',
  'replay.wanted.no-more-lines': 'конец этого отклика',
  'replay.wanted.this-line': 'эта строка',

  'replay.shard': 'часть {index}/{count}: {n} из {total} {total|записи|записей|записей} сеансов',

  'replay.report.transcript-line': 'запись, строка {line}',
  'replay.report.transcript': 'запись',
  'replay.report.nothing': '(ничего)',
  'replay.report.server': 'сервер',
  'replay.report.client': 'клиент',
  'replay.report.before': '({n} {n|символ|символа|символов}) …',
  'replay.report.after': '… (ещё {n} {n|символ|символа|символов})',
};
