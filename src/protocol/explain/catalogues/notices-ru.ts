/**
 * Русские слова того, что сеанс говорит о себе строками «#»: соединение, сводка TLS, замечания
 * сеансов IMAP и POP3, причины неудачного входа, замечания механизмов SASL, заголовки раскодированного
 * вида и пометки на терминале. Ключи — как в notices-en.ts. Загружается только при --lang ru; запись
 * сеанса (--record) всегда идёт по-английски. Имена команд, теги, возможности и текст сервера не
 * переводятся.
 */
import type { NoticeKey } from './notices-en.js';

export const NOTICES_RU: Readonly<Record<NoticeKey, string>> = {
  'notice.level.warning': 'предупреждение',
  'notice.level.error': 'ошибка',

  'notice.connected': 'установлено соединение с {url}{via}, {mode}',
  'notice.connected.via': '({address})',
  'notice.connected.tls': 'TLS',
  'notice.connected.plain': 'обычный TCP',
  'notice.connected.starttls': 'обычный TCP, затем {command}',
  'notice.closed': 'соединение закрыто',
  'notice.closed.reason': 'соединение закрыто: {reason}',

  'notice.tls.head': 'TLS: {version} {cipher}',
  'notice.tls.no-certificate': 'сертификата нет',
  'notice.tls.subject': 'владелец {subject}',
  'notice.tls.issuer': 'издатель {issuer}',
  'notice.tls.expires': 'действует до {date}',
  'notice.tls.verified': 'сертификат проверен',
  'notice.tls.not-verified': 'сертификат НЕ проверен',
  'notice.tls.not-verified.why': 'сертификат НЕ проверен ({why})',
  'notice.tls.insecure': '{verdict}, но принят из-за --insecure',

  'notice.latency': '{ms} мс',
  'notice.reply-time': '{ms} мс на весь отклик',
  'notice.literal-size': '{n} {n|октет|октета|октетов}',

  'notice.decoded.tree': '{item} сообщения {n}:',
  'notice.decoded.mailbox': 'почтовый ящик: {name}',
  'notice.decoded.mailbox-invalid': 'имя почтового ящика записано не по правилам modified UTF-7 (RFC 3501 §5.1.3)',

  'notice.tls.dropped': '{n|отброшен|отброшено|отброшено} {n} {n|октет|октета|октетов}, {n|пришедший|пришедших|пришедших} после {ok} на {command}, до начала TLS (возможно внедрение команд)',
  'notice.tls.dropped-batch': '{n|отброшен|отброшено|отброшено} {n} {n|октет|октета|октетов}, {n|пришедший|пришедших|пришедших} вслед за {ok} на {command}, до начала TLS (возможно внедрение команд)',
  'notice.tls.dropped-handshake': '{n|отброшен|отброшено|отброшено} {n} {n|октет|октета|октетов}, {n|пришедший|пришедших|пришедших} между OK на STARTTLS и согласованием TLS (возможно внедрение команд)',
  'notice.tls.refused': 'сервер отклонил {command}: соединение остаётся на обычном TCP, и всё, что будет отправлено дальше, пойдёт открытым текстом ({rfc})',
  'notice.tag-in-use': 'тег {tag} уже занят командой, которая ещё выполняется',
  'notice.raw-without-crlf': 'строка .raw отправлена без CRLF: сервер всё ещё дочитывает её',
  'notice.no-continuation': 'ни один промежуточный отклик («+») не ждёт ответа; строка всё равно отправлена',
  'notice.cut-line': 'соединение оборвалось посреди этой строки: её CRLF так и не пришёл',
  'notice.line-ended-by-close': 'сервер закрыл соединение, не закончив эту строку CRLF ({rfc}); строка принята целиком',
  'notice.not-offered': 'для {command} нужна возможность {capability} ({rfc}), а этот сервер её не объявил; команда всё равно отправлена',
  'notice.password-in-clear': 'пароль ушёл открытым текстом по обычному TCP ({command}): его может прочитать любой на пути по сети (защитили бы --starttls или {scheme}://)',
  'notice.out-of-state': 'команда {command} недопустима в состоянии {state} ({rfc}); всё равно отправлена',
  'notice.bare-lf': 'сервер закончил эту строку одним LF, без CR ({rfc}); принято за конец строки',
  'notice.unasked-continuation': 'промежуточный отклик («+»), которого не ждала ни одна команда',
  'notice.unasked-reply': 'отклик, которого не ждала ни одна команда',
  'notice.tagged-without-status': 'в отклике с тегом сразу за тегом должен стоять статус OK, NO или BAD (RFC 3501 §7.1, §9 response-tagged); в "{line}" его нет: команда считается неудавшейся',
  'notice.unknown-tag': 'отклик с тегом "{tag}", но такого тега нет ни у одной выполняемой команды',
  'notice.literal-not-sent': 'литерал не отправлен: сервер ответил, так и не запросив его ({n|отброшен|отброшено|отброшено} {n} {n|октет|октета|октетов})',
  'notice.login-cancelled': 'вход отменён: вы ответили «*», и сервер завершил обмен ({rfc})',
  'notice.login-failed': 'вход не удался: {why}',
  'notice.login-failed.apop': 'вход не удался: {why}; дайджест APOP вычислен из метки времени приветствия {timestamp} и данного секрета, значит, либо секрет неверен, либо у сервера нет секрета APOP для этого пользователя',
  'notice.compress': 'COMPRESS: сжатие DEFLATE действует в обе стороны (RFC 4978); показано в распакованном виде',

  'notice.file-literal': '{file:{path}}: {n} {n|октет|октета|октетов}, отправляется литералом',
  'notice.file-literal.bare-lf': 'в {path} строки кончаются одним LF; по RFC 5322 §2.3 строки сообщения кончаются CRLF, и некоторые серверы такие сообщения не принимают (отправлено как есть)',

  'login.imap.code': '{meaning} ([{code}], RFC 5530)',
  'login.imap.AUTHENTICATIONFAILED': 'неверное имя пользователя или пароль, либо этой учётной записи нельзя входить таким способом',
  'login.imap.AUTHORIZATIONFAILED': 'учётные данные верны, но действовать от имени запрошенного идентификатора авторизации с ними нельзя',
  'login.imap.EXPIRED': 'срок действия пароля или учётной записи истёк',
  'login.imap.PRIVACYREQUIRED': 'сервер принимает такой вход только через TLS (сначала STARTTLS, или imaps://)',
  'login.imap.CONTACTADMIN': 'сервер просит обратиться к его администратору',
  'login.imap.UNAVAILABLE': 'сейчас сервер этот вход не проверяет (RFC 5530 UNAVAILABLE: часть сервера не работает или он притормаживает попытки входа; что именно — сказано в его тексте); попробуйте позже',
  'login.imap.ALERT': 'у сервера для вас сообщение (выше)',
  'login.pop3.AUTH': 'неверное имя пользователя или пароль, либо сервер отказывает во входе как таковом (RFC 3206 [AUTH])',
  'login.pop3.SYS/TEMP': 'временная неполадка на сервере (RFC 3206 [SYS/TEMP]); попробуйте позже',
  'login.pop3.SYS/PERM': 'постоянная неполадка на сервере (RFC 3206 [SYS/PERM]); сообщите его администратору',
  'login.pop3.IN-USE': 'почтовый ящик заблокирован другим сеансом (RFC 2449 [IN-USE])',
  'login.pop3.LOGIN-DELAY': 'входить снова так скоро нельзя (RFC 2449 [LOGIN-DELAY])',
  'login.mechanism-unsupported': 'сервер не поддерживает {mechanism}: он предлагает {offered}',
  'login.mechanism-unsupported.none': 'сервер не поддерживает {mechanism}: он не объявил ни одного механизма',
  'login.tls-first': 'до TLS сервер пароль не принимает: используйте --starttls (или сначала наберите {command}) либо подключайтесь по {scheme}://',
  'login.locked': 'почтовый ящик заблокирован, скорее всего другим сеансом',
  'login.wrong-password': 'неверное имя пользователя или пароль — так, по крайней мере, говорит сервер',
  'login.no-code': 'кода отклика сервер не дал; всё, что он сообщает, — его текст выше',

  'sasl.scram.few-iterations': '{mechanism}: сервер делает всего {n} {n|итерацию|итерации|итераций}; RFC 7677 §4 рекомендует не меньше 4096',
  'sasl.scram.verified': '{mechanism}: подпись сервера проверена — сервер знает пароль',
  'sasl.scram.no-signature': '{mechanism}: сервер ответил OK, не прислав своей подписи (server-final): он не доказал, что знает пароль',
};
