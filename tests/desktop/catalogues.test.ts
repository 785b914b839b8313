import { TYPE, parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LOCALES, matchLocale, type Locale } from '../../desktop/shared/i18n/locales.std.js';
import { AREAS, MESSAGES } from '../../desktop/shared/i18n/messages.std.js';

const locales = Object.keys(LOCALES) as Locale[];
const english = MESSAGES.en as Readonly<Record<string, string>>;

/** What a message needs from its caller: argument names with their kind, and rich-text tags. */
function needs(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${TYPE[element.type]} ${element.value}`);
        break;
      case TYPE.plural:
      case TYPE.select:
        into.add(`${TYPE[element.type]} ${element.value}`);
        for (const option of Object.values(element.options)) needs(option.value, into);
        break;
      case TYPE.tag:
        into.add(`tag ${element.value}`);
        needs(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

/** Plural and select choices must end in `other`, the branch every language falls back to. */
function choicesWithoutOther(elements: readonly MessageFormatElement[]): string[] {
  const missing: string[] = [];
  for (const element of elements) {
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      if (!Object.hasOwn(element.options, 'other')) missing.push(element.value);
      for (const option of Object.values(element.options)) {
        missing.push(...choicesWithoutOther(option.value));
      }
    }
    if (element.type === TYPE.tag) missing.push(...choicesWithoutOther(element.children));
  }
  return missing;
}

/** Whether a message has words of its own (beyond placeholders, units like KiB and punctuation). */
function hasWords(elements: readonly MessageFormatElement[]): boolean {
  return elements.some((element) => {
    if (element.type === TYPE.literal) return /\p{L}{4}/u.test(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      return Object.values(element.options).some((option) => hasWords(option.value));
    }
    return element.type === TYPE.tag && hasWords(element.children);
  });
}

/** Messages a language rightly spells as English does. */
const SAME_AS_ENGLISH: Partial<Record<Locale, readonly string[]>> = {
  es: [
    'common.bytes',
    'shell.personas',
    'shell.chats',
    'groupJoining.persona',
    'settings.proxy',
    'topics.general',
  ],
  // German says Moderator too, French Description.
  fr: [
    'shell.contacts',
    'shell.personas',
    'groups.about.description',
    'groupJoining.persona',
    'settings.notifications',
    'settings.proxy',
    'passphrase.time.minutes',
    'schedules.questions',
    'schedules.form.date',
    'schedules.form.questionText',
    'requests.write.label',
    'directory.audienceChoice.patients',
    'directoryListing.description',
  ],
  de: [
    'directory.filter.region',
    'directory.page.region',
    'directoryListing.region',
    'onboarding.pseudonym',
    'onboarding.passphrase',
    'shell.personas',
    'shell.moderation',
    'groups.role.moderator',
    'groupJoining.persona',
    'settings.relay',
    'settings.proxy',
    'topics.threadHeading',
  ],
};

describe('the window’s catalogues', () => {
  it('every language has exactly English’s ids, and no id is in two areas', () => {
    const seen = new Set<string>();
    for (const area of AREAS) {
      for (const id of Object.keys(area.en)) {
        expect(seen.has(id), `${id} is in two areas`).toBe(false);
        seen.add(id);
        expect(id).toMatch(/^[a-z][a-zA-Z]*\.[a-zA-Z.]+$/u);
      }
      for (const locale of locales) {
        expect(Object.keys(area[locale]).sort(), locale).toEqual(Object.keys(area.en).sort());
      }
    }
  });

  it('every message parses, and each translation asks for what English asks for', () => {
    for (const [id, source] of Object.entries(english)) {
      const sourceNeeds = needs(parse(source));
      expect(choicesWithoutOther(parse(source)), id).toEqual([]);
      for (const locale of locales) {
        const message = (MESSAGES[locale] as Readonly<Record<string, string>>)[id] ?? '';
        const elements = parse(message);
        expect(needs(elements), `${locale} ${id}`).toEqual(sourceNeeds);
        expect(choicesWithoutOther(elements), `${locale} ${id}`).toEqual([]);
      }
    }
  });

  it('a translation is not English left in place', () => {
    for (const locale of locales.filter((name) => name !== 'en')) {
      const messages = MESSAGES[locale] as Readonly<Record<string, string>>;
      for (const [id, source] of Object.entries(english)) {
        if (!hasWords(parse(source)) || SAME_AS_ENGLISH[locale]?.includes(id) === true) continue;
        expect(messages[id], `${locale} ${id}`).not.toBe(source);
      }
    }
  });

  it('picks the first preferred language the window speaks, else English', () => {
    expect(matchLocale(['es-MX', 'en-US'])).toBe('es');
    expect(matchLocale(['pt-BR', 'fr_CA', 'de'])).toBe('fr');
    expect(matchLocale(['AR-eg'])).toBe('ar');
    expect(matchLocale(['zh-Hans', 'ja'])).toBe('en');
    expect(matchLocale([])).toBe('en');
  });
});

/**
 * The window's source files (desktop/renderer, not its build), each with whether eslint holds it
 * to the formatjs rule (read through eslint, so the rule's scope lives in eslint.config.js alone).
 */
async function windowFiles(): Promise<{ file: string; translated: boolean }[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const files: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else if (/\.tsx?$/u.test(path)) {
      files.push(path);
    }
  };
  walk(join('desktop', 'renderer'));
  const checked: { file: string; translated: boolean }[] = [];
  for (const file of files) {
    const config = (await eslint.calculateConfigForFile(file)) as {
      rules?: Record<string, unknown>;
    };
    const translated = config.rules?.['formatjs/no-literal-string-in-jsx'] !== undefined;
    checked.push({ file, translated });
  }
  return checked;
}

/** Words a person would read: two words with a space between, or a capitalised word. */
const LOOKS_LIKE_WORDS = /\p{L}{2}\s+\p{L}{2}|^\p{Lu}\p{Ll}+/u;

/** Operators whose result is one of their operands: a literal there can still reach the screen. */
const LINKING_OPERATORS = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandToken,
]);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);

/** Message ids, call names and file names: 'search.title', 'search.query', 'photo.jpg'. */
const DOTTED_NAME = /^[\w-]+(?:\.[\w-]+)+$/u;

/**
 * String literals outside JSX that read like words, in places where they could reach the screen.
 * Not counted: imports, comparisons and `case` labels (key names like 'Escape'), type positions,
 * JSX (eslint's formatjs rule covers its text and the attributes that carry words), and `new Error(…)`
 * and an Error subclass's `this.name` (for developers, never shown).
 */
function literalWords(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const exempt = (node: ts.Node): boolean => {
    // Climb out of the expression the literal is part of (a choice, a sum, parentheses).
    let inner = node;
    let parent = node.parent;
    while (
      ts.isConditionalExpression(parent) ||
      ts.isParenthesizedExpression(parent) ||
      (ts.isBinaryExpression(parent) && LINKING_OPERATORS.has(parent.operatorToken.kind))
    ) {
      inner = parent;
      parent = parent.parent;
    }
    if (ts.isJsxExpression(parent) || ts.isJsxAttribute(parent)) return true;
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return true;
    if (ts.isLiteralTypeNode(parent) || ts.isCaseClause(parent)) return true;
    if (
      ts.isBinaryExpression(parent) &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      parent.left.getText() === 'this.name'
    ) {
      return true; // An Error subclass's name, like `new Error(…)`'s words, is for developers.
    }
    if (ts.isBinaryExpression(parent)) return COMPARISONS.has(parent.operatorToken.kind);
    if (ts.isNewExpression(parent))
      return parent.expression.getText() === 'Error' && inner !== parent.expression;
    return false;
  };
  const report = (node: ts.Node, text: string): void => {
    if (!LOOKS_LIKE_WORDS.test(text) || DOTTED_NAME.test(text) || exempt(node)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push(`${file}:${line} ${text}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      report(node, node.text);
    } else if (ts.isTemplateExpression(node)) {
      report(
        node,
        [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(''),
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the window', () => {
  it('takes every word from the catalogues: each file is held to the rule and has none of its own', async () => {
    const files = await windowFiles();
    expect(files.map(({ file }) => file)).toContain(
      join('desktop', 'renderer', 'search', 'SearchDialog.dom.tsx'),
    );
    expect(files.filter(({ translated }) => !translated)).toEqual([]);
    expect(files.flatMap(({ file }) => literalWords(file))).toEqual([]);
  });

  it('the check finds words in a string, a template and a ternary, and passes what is no text', () => {
    const sample = [
      "import { x } from './Some Module.js';",
      "const status = 'Searching…';",
      'const found = `${n} messages found`;',
      "const who = self ? 'You' : name;",
      "if (event.key === 'Escape') close();",
      'const tag = <p className="search result" title={text(\'search.title\')}>{status}</p>;',
      "throw new Error('The page has no root.');",
      "this.name = 'SearchError';",
      "const id = text('search.nothingFound', { words });",
    ].join('\n');
    expect(
      literalWords('sample.tsx', sample).map((line) => line.split(' ').slice(1).join(' ')),
    ).toEqual(['Searching…', ' messages found', 'You']);
  });
});
