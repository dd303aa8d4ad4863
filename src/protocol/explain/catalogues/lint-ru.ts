/**
 * Русские слова замечаний lint (transcript/lint*.ts), пометок формата записи о строках, которые не
 * являются строками протокола (transcript/format.ts), и строк самой команды `mailwire lint`. Ключи —
 * как в lint-en.ts. Имена правил ABNF, разделы RFC, команды и лексемы протокола (SP, CRLF, теги)
 * остаются как есть; текст из записи сеанса приходит значением, уже экранированным. Часть ru.ts.
 */
import type { LintKey } from './lint-en.js';

export const LINT_RU: Readonly<Record<LintKey, string>> = {
  // mailwire lint: степень и итоговая строка
  'lint.severity.error': 'ошибка',
  'lint.severity.note': 'замечание',
  'lint.summary': '{files} {files|файл|файла|файлов}: {errors} {errors|ошибка|ошибки|ошибок}, {notes} {notes|замечание|замечания|замечаний}',
  'lint.at-line': 'строка {line}: {message}',

  // Файл целиком (lint.ts)
  'lint.protocol.guessed': 'нет строки «# protocol:»; судя по строкам, это {protocol}',
  'lint.protocol.other': 'запись {protocol} — не сеанс IMAP или POP3: не проверяется',
  'lint.pattern.bare-hole': 'одиночный «$» в строке клиента нельзя отправить (replay), а при serve он совпадает с чем угодно; знак доллара пишется «$$»',
  'lint.pattern.unset-capture': '{capture} используется раньше, чем его запоминает какая-либо строка сервера (знак доллара пишется «$$»)',

  // Строки, которые формат не считает строками протокола (format.ts), и директивы, которые он не может прочесть
  'lint.format.elision': '{text} — пропуск части сеанса: пропущенное не проверяется',
  'lint.format.not-a-line': 'не строка протокола (нет «S:» или «C:»): {text}',
  'lint.format.client-mark': '«C{mark}:» — нет такого вида строк (необязательными или запрещёнными бывают только строки сервера): строка пропущена',
  'lint.format.tcp-event': '{text} — событие TCP, а не строка, переданная по соединению: пропущено',
  'lint.format.other-protocol': '«# protocol: {value}»: mailwire работает только с imap и pop3',
  'lint.format.version': 'файл в формате записи v{version}, а эта версия mailwire читает v{supported}',
  'lint.format.tls': '«# tls: {value}»: ожидается none, starttls или implicit',
  'lint.format.secret': 'в «# secret:» нужно имя пользователя (после него можно указать секрет)',
  'lint.format.match': '«# match: {value}»: неизвестное правило «{word}» (ordered, unordered, extra, no-extra)',
  'lint.format.state': '«# state: {value}»: ожидается одно из {states}',

  // Формальный синтаксис (lint-grammar.ts). В русском нет артикля: not-a и not-an звучат одинаково.
  'lint.grammar.unchecked': 'не проверено по формальному синтаксису: {why}',
  'lint.grammar.limit.depth': 'вложенность правил глубже {max}',
  'lint.grammar.limit.steps': 'больше {max} {max|шага|шагов|шагов} разбора',
  'lint.grammar.not-a': 'не соответствует правилу {rule} формального синтаксиса: {detail}',
  'lint.grammar.not-an': 'не соответствует правилу {rule} формального синтаксиса: {detail}',
  'lint.grammar.not-base64-answer': 'не ответ в base64 по формальному синтаксису: {detail}',
  'lint.grammar.detail': 'в столбце {column} {wanted}; {found}',
  'lint.grammar.expected': 'ожидается {items}',
  'lint.grammar.expected-one-of': 'ожидается одно из: {items}',
  'lint.grammar.cannot-continue': 'здесь строка должна закончиться',
  'lint.grammar.found': 'найдено {text}',
  'lint.grammar.found-end-of-line': 'найден конец строки',
  'lint.grammar.found-end': 'найден конец данных',

  // Названия состояний: IMAP — как на диаграмме состояний, POP3 — как в RFC 1939
  'lint.state-name.imap.not-authenticated': '«Не аутентифицирован»',
  'lint.state-name.imap.authenticated': '«Аутентифицирован»',
  'lint.state-name.imap.selected': '«Выбран»',
  'lint.state-name.imap.logout': '«Выход»',
  'lint.state-name.pop3.authorization': 'AUTHORIZATION',
  'lint.state-name.pop3.transaction': 'TRANSACTION',
  'lint.state-name.pop3.update': 'UPDATE',

  // Оба протокола
  'lint.state.invalid': 'команда {command} недопустима в состоянии {state} ({rfc}: только в {count|состоянии|состояниях|состояниях} {states})',
  'lint.state.directive.imap': '«# state: {state}» — не состояние IMAP (not-authenticated, authenticated, selected, logout, unknown)',
  'lint.state.directive.pop3': '«# state: {state}» — не состояние POP3 (authorization, transaction, update, unknown)',

  // IMAP (lint-imap.ts)
  'lint.revision.either': 'RFC 9051 (IMAP4rev2) это допускает, RFC 3501 — нет, а по сеансу не видно, по какой версии IMAP он идёт: {detail}',
  'lint.revision.shown': '{allows} это допускает, {forbids} — нет, а сеанс идёт по {shown} (строка {line}): {detail}',
  'lint.elision': 'часть строки пропущена ({text}): проверено до пропуска',
  'lint.completion.missing': 'в записи нет завершения команды {tag} {command}',
  'lint.tag.in-use': 'тег {tag} ещё занят командой {command} (строка {line}): по RFC 3501 §2.2.1 у каждой команды свой тег',
  'lint.tag.unknown-completion': 'завершение с тегом {tag}, которого нет ни у одной незавершённой команды',
  'lint.expunge.during': 'EXPUNGE во время выполнения команды {command} ({tag}, строка {line}): пока выполняется FETCH, STORE или SEARCH, сервер не должен его посылать, ведь их ответы называют сообщения по номерам (RFC 3501 §7.4.1, RFC 9051 §7.5.1); во время их UID-вариантов можно',
  'lint.expunge.no-command': 'EXPUNGE, когда не выполняется ни одна команда: в это время сервер не должен его посылать, иначе номера сообщений у клиента незаметно для него сдвинутся (RFC 3501 §7.4.1, RFC 9051 §7.5.1)',
  'lint.expunge.incomplete': 'EXPUNGE до того, как сервер получил команду {command} ({tag}) целиком, а других выполняемых команд нет: команда считается выполняемой, только когда сервер получил её всю, а когда не выполняется ни одна, посылать EXPUNGE нельзя (RFC 3501 §7.4.1, RFC 9051 §7.5.1)',
  'lint.capability.imap': 'команде {command} нужна возможность {capability}, а в последнем отклике CAPABILITY её нет ({rfc})',
  'lint.capability.extension': 'это синтаксис расширения {extension} ({source}), а в последнем отклике CAPABILITY (строка {line}) его нет',
  'lint.capability.extensions': 'здесь нужен синтаксис сразу нескольких расширений: {extensions}, а в последнем отклике CAPABILITY (строка {line}) нет ни одного из них',
  'lint.capability.login-disabled': 'LOGIN, хотя сервер объявил LOGINDISABLED: RFC 3501 §6.2.3 запрещает это клиенту (MUST NOT)',
  'lint.literal.incomplete': 'литерал {literal} из строки {line} не закончен, а сервер уже отвечает: в его строках только {held} {held|октет|октета|октетов}',
  'lint.literal.sync': 'данные литерала отправлены раньше, чем сервер ответил «+» на синхронизирующий литерал {literal} из строки {line} (RFC 3501 §7.5); не ждать «+» позволяет {nonsync} с расширением LITERAL+ (RFC 7888)',
  'lint.literal.short': 'литерал {literal} объявляет {size} {size|октет|октета|октетов}, а в строках записи их {held}',
  'lint.literal.response-incomplete': 'литерал в отклике не закончен: в строках после {marker} меньше октетов, чем объявлено',
  'lint.literal.count': 'литерал {literal} из строки {line} кончается в этой строке, после {data}, а дальше строка не разбирается ({failure}): верно ли указан его размер? (RFC 3501 §4.3)',
  'lint.idle.done': 'IDLE завершается строкой DONE (RFC 2177 §3), а не {text}',
  'lint.authenticate.answer': 'ответ клиента в AUTHENTICATE — это base64 или «*» (RFC 3501 §6.2.2): {detail}',
  'lint.continuation.answer': 'строка в ответ на «+» для команды {command}: не проверяется',
  'lint.continuation.answer-unknown': 'строка в ответ на «+» для неизвестной команды: не проверяется',
  'lint.continuation.before-command': 'запрос продолжения «+» раньше первой команды',
  'lint.response-code.rev1': 'текст начинается с «[», но это не код отклика, за которым идут SP и текст (RFC 3501 §7.1, §9 resp-text): {detail}',
  'lint.response-code.rev2': 'текст начинается с «[», но это не код отклика (RFC 9051 §7.1, §9 resp-text): {detail}',

  // POP3 (lint-pop3.ts)
  'lint.command.unknown': 'команды {command} нет ни в RFC 1939, ни в известных mailwire расширениях',
  'lint.capability.pop3': 'команде {command} нужна возможность {capability}, а в последнем отклике CAPA её нет ({rfc})',
  'lint.line-length.command': 'команда длиной {octets} {octets|октет|октета|октетов}: RFC 2449 §4 допускает не больше {max}, вместе с CRLF',
  'lint.line-length.reply': 'строка отклика длиной {octets} {octets|октет|октета|октетов}: RFC 2449 §4 допускает не больше {max}, вместе с CRLF',
  'lint.apop.no-timestamp': 'APOP, но в приветствии нет метки времени <...@...>, от которой считается дайджест (RFC 1939 §7)',
  'lint.apop.unchecked': 'дайджест APOP не проверен: {why}; со строкой «# secret: {user} СЕКРЕТ» lint сверит его с меткой времени из приветствия (RFC 1939 §7)',
  'lint.apop.secret-not-named': 'в «# secret: {user}» (строка {line}) сам секрет не указан',
  'lint.apop.no-secret': 'секрет для {user} не объявлен',
  'lint.apop.wrong': 'дайджест APOP не равен MD5("{timestamp}" + объявленный секрет пользователя {user}); должен быть {expected}',
  'lint.sasl.challenge': 'запрос SASL — это «+» SP base64 (RFC 5034 §4): {detail}',
  'lint.multiline.open': 'многострочный отклик на {command} не закончен строкой «.» до следующей команды (RFC 1939 §3)',
};
