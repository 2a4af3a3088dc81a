/** Texts that LLM bots show while generating: not an answer yet, so a reply made only of them never settles. */
const PLACEHOLDER = /^\s*(?:thinking|typing|generating|loading|working on it|one moment|please wait|думаю|печатает|генерирую|подождите|réflexion|pensando|denke nach)?\s*(?:\.{3}|…)?\s*[⏳🤔💭]?\s*$/iu;

export function isPlaceholderText(text: string): boolean {
  const t = text.trim();
  if (t === '') return true;
  return t.length <= 40 && PLACEHOLDER.test(t);
}
