// The vocabulary every layer shares about people: the languages we write in and the shape of a person we write to.

/** The languages a person can read our messages in. */
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A person a message goes to: a name to greet, an address, and the language they read. */
export interface Person {
  name: string;
  email: string;
  language: Language;
}
