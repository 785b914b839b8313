// @ts-check
import js from '@eslint/js';
import formatjs from 'eslint-plugin-formatjs';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The one-way dependency rule (STYLE.md rule 1): desktop, cli and server import core; core imports
 * none of them; server and desktop never import each other. Parts only import core through its
 * index, never a deep path.
 */
const deepCoreImport = {
  // A regex, not globs: a glob that excludes core/client/ cannot let its index back in.
  regex: '^(?:\\.{1,2}/)+core/(?!index\\.js$|client/index\\.js$)',
  message: 'Import core only through core/index.js or, for the client agent, core/client/index.js.',
};
/**
 * The relay's view of core (STYLE.md rule 12): protocol, crypto, rules, errors and storage from
 * core/index.js, never the client agent (core/client), through its index or otherwise.
 */
const relayCoreImport = {
  regex: '^(?:\\.{1,2}/)+core/(?!index\\.js$)',
  message:
    'The relay imports core only through core/index.js, never the client agent (core/client).',
};
/** Packages that hold keys, touch the disk or the network: main-process only. */
const windowForbiddenPackages = [
  '@signalapp/libsignal-client',
  'level',
  'classic-level',
  'libsodium-wrappers-sumo',
  'ws',
  'pino',
];
const windowMessage =
  'Window, preload and shared (.std) code may not import core, server, cli, main-process code, Electron or Node modules (the preload may import electron).';
/** A relative import that goes into one of these folders (packages named alike do not match). */
const relativeInto = (/** @type {string[]} */ folders) =>
  `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})(?:/|$)`;
const restrict = (/** @type {string[]} */ groups, /** @type {string} */ message) => ({
  group: groups,
  message,
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      // Desktop builds (desktop/dist: main and preload; desktop/renderer/dist: the window).
      'desktop/**/dist/**',
      'release/**',
      'bench/results/**',
      'core/protocol/gen/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Overrides of libsignal's abstract stores keep its parameter lists; unused ones start with _.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md rule 5).' },
      ],
    },
  },
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom'],
          patterns: [
            restrict(['**/server/**', '**/desktop/**', '**/cli/**'], 'core imports no other part.'),
          ],
        },
      ],
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // The protocol's cryptography lives in core; the relay uses it through core's API.
          paths: ['electron', 'react', 'react-dom', '@signalapp/libsignal-client'],
          patterns: [
            restrict(['**/desktop/**', '**/cli/**'], 'server imports only core.'),
            relayCoreImport,
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom', '@signalapp/libsignal-client', 'level'],
          patterns: [
            restrict(['**/server/**', '**/desktop/**'], 'cli imports only core.'),
            deepCoreImport,
          ],
        },
      ],
    },
  },
  {
    // Main process and dev host: core (through its index) and packages, never the window's code.
    files: ['desktop/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(['**/server/**', '**/cli/**'], 'desktop imports only core.'),
            restrict(['**/renderer/**'], 'The window talks to main only through the API.'),
            deepCoreImport,
          ],
        },
      ],
    },
  },
  {
    // What runs in the window, or is shared with it, never reaches the vault's machinery: no
    // core (libsignal, LevelDB, keys), no relay or CLI code, no Electron, no Node modules.
    // The preload may use Electron (contextBridge, ipcRenderer) and nothing else of the list.
    files: [
      'desktop/renderer/**',
      'desktop/shared/**',
      'desktop/preload/**',
      'desktop/**/*.std.ts',
    ],
    ignores: ['desktop/renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: windowForbiddenPackages.map((name) => ({ name, message: windowMessage })),
          patterns: [
            {
              regex: relativeInto(['core', 'server', 'cli', 'main', 'devhost']),
              message: windowMessage,
            },
            restrict(['electron', 'electron/*'], windowMessage),
            restrict(['node:*', ...builtinModules], windowMessage),
          ],
        },
      ],
    },
  },
  {
    files: ['desktop/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: windowForbiddenPackages.map((name) => ({ name, message: windowMessage })),
          patterns: [
            {
              regex: relativeInto(['core', 'server', 'cli', 'main', 'devhost', 'renderer']),
              message: windowMessage,
            },
            restrict(['node:*', ...builtinModules], windowMessage),
          ],
        },
      ],
    },
  },
  {
    files: ['desktop/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The window's words all come from the catalogues (desktop/shared/i18n): text in its JSX,
    // and the props that carry words, must be a message. tests/desktop/catalogues.test.ts also
    // refuses words outside JSX here.
    files: ['desktop/renderer/**'],
    plugins: { formatjs },
    rules: {
      'formatjs/no-literal-string-in-jsx': [
        'error',
        // Beside its defaults (aria-label and kin, placeholder, title, alt): our components' props
        // that carry words.
        { props: { include: [['*', '{title,label,hint,description,placeholder}']] } },
      ],
    },
  },
  {
    // Tool configuration files are loaded by their tools, which expect a default export.
    files: ['*.config.js', '*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Scripts and benchmarks are entry points that talk to a terminal.
    files: ['scripts/**', 'bench/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
