// The words SEPM's system and admin messages use for failing, updating and the server's parts, in the languages its
// console ships in (English, Spanish, French, Portuguese, German, Italian). Compared after labelKey: lower case, no
// accents ("échoué" is "echoue", "möglich" is "moglich"). The non-English wording is the translators' usual one,
// assumed until a localized capture is seen; a word is a one-line change here. Pure data.

const alternatives = (words: readonly string[]): string => words.join('|');

/** Words saying that something failed or could not be done. */
export const FAILED = alternatives([
  // en
  'fail', 'error', 'could not', "couldn't", 'unable to', 'cannot', 'unsuccessful',
  // es
  'fallo', 'fallid[oa]', 'fallaron', 'no se pudo', 'no pudo', 'no fue posible',
  // fr
  'echec', 'echoue', 'erreur', 'impossible de', "n'a pas pu", 'n a pas pu',
  // pt
  'falha', 'falhou', 'erro', 'nao foi possivel', 'nao conseguiu', 'nao pode',
  // de
  'fehlgeschlagen', 'fehler', 'konnte nicht', 'nicht moglich', 'misslungen',
  // it
  'non riuscit[oa]', 'errore', 'impossibile', 'fallit[oa]', 'non e stato possibile',
]);

/** Words naming a content update: LiveUpdate, definitions, signatures, downloads. */
export const UPDATE = alternatives([
  'liveupdate', 'update', 'download', 'definition', 'signature', 'content',
  'actualiz', 'descarg', 'definicion', 'firmas', 'contenido',
  'mise a jour', 'mettre a jour', 'telecharg', 'contenu',
  'atualiza', 'baixar', 'transferencia', 'definic', 'assinatura', 'conteudo',
  'aktualisier', 'herunterlad', 'signatur', 'inhalt',
  'aggiorna', 'scaric', 'definizion', 'firme', 'contenut',
]);

/** Words naming a part of the management server: its database, services, disk, memory, replication. */
export const SERVER_PART = alternatives([
  'database', 'disk', 'memory', 'service', 'replication', 'backup', 'server',
  'base de datos', 'disco', 'memoria', 'servicio', 'replicacion', 'copia de seguridad', 'servidor',
  'base de donnees', 'disque', 'memoire', 'serveur', 'sauvegarde',
  'banco de dados', 'servico', 'replicacao', 'copia de seguranca',
  'datenbank', 'festplatte', 'datentrager', 'speicher', 'dienst', 'replikation', 'sicherung',
  'servizio', 'replica',
]);

/** Words saying that a part stopped, filled up or stopped answering (a few with word boundaries). */
export const DOWN = alternatives([
  'stopped', '\\bfull\\b', '\\blow\\b', 'not respond', '\\bdown\\b',
  'detenid', 'detuvo', 'dejo de funcionar', 'llen', 'insuficiente', 'no responde',
  'arrete', 'a cesse', 'plein', 'ne repond pas', 'insuffisant',
  'parad[oa]', 'parou', 'interrompid', 'cheio', 'nao responde',
  'beendet', 'angehalten', 'gestoppt', '\\bvoll\\b', 'antwortet nicht', 'nicht genug',
  'arrestat', 'interrott', 'pieno', 'non risponde', 'insufficiente',
]);

/** Words of a failed console logon: a wrong password, a locked account, a refused authentication. */
export const LOGON_FAILED = alternatives([
  'password is incorrect', 'log ?on failed', 'logon failure', 'failed to log ?on', 'authentication fail', 'account (is )?locked',
  'contrasena (es )?incorrecta', 'inicio de sesion (ha )?fallido', 'error de autenticacion', 'cuenta bloqueada',
  'mot de passe (est )?incorrect', "echec de (l'|la )?(authentification|connexion)", 'compte verrouille',
  'senha (esta )?incorreta', 'falha (de|na) autenticacao', 'conta bloqueada',
  '(kennwort|passwort) (ist )?(falsch|ungultig)', 'anmeldung fehlgeschlagen', 'authentifizierung fehlgeschlagen', 'konto gesperrt',
  'password (errata|non corretta|non valida)', 'accesso non riuscito', 'autenticazione non riuscita', 'account bloccato',
]);

