// Where, in the same file, the names a change uses are declared: the second, lower-priority context block the
// reviewer gets (diff/context.ts). Language-agnostic on purpose: a line declares a name when a declaring keyword, an
// import, a type or an assignment introduces it, in the shapes most languages share. A miss costs nothing but a line
// of context; a false match costs one line of tokens.

/** Words that are never worth a declaration: keywords and builtins of the common languages. */
const KEYWORDS = new Set(
  (
    'abstract and as assert async await begin bool boolean break byte case catch chan char class const continue def ' +
    'default defer del delete do double elif else elsif end enum except export extends extern false final finally ' +
    'float fn for foreach from func function go goto if impl implements import in include instanceof int interface ' +
    'is lambda len let long loop map match mod module mut namespace new nil none not null of or package pass print ' +
    'private protected pub public raise range readonly ref require rescue return self short signed sizeof static ' +
    'str string struct super switch this throw throws trait true try type typeof uint undefined unless unsigned until ' +
    'use using val var void volatile when where while with yield string number object any unknown never symbol ' +
    'bigint list dict set tuple error err ok some result option vec box self_ cls args kwargs'
  ).split(' '),
);

const MAX_NAMES = 40;
const MAX_LINE = 300;

/** The names the changed lines use, in order of first use: identifiers, not keywords, not `obj.member`. */
export function usedNames(texts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    // Strings and line comments say nothing about which names the code uses.
    const code = text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/(?:\/\/|#(?![a-z]*\s*(?:include|define))).*$/, '');
    for (const m of code.matchAll(/(?<![\w$.])(?:(?:this|self)\.)?([A-Za-z_$][\w$]*)/g)) {
      const name = m[1]!;
      if (name.length < 2 || KEYWORDS.has(name.toLowerCase())) continue;
      names.add(name);
      if (names.size >= MAX_NAMES) return [...names];
    }
  }
  return [...names];
}

function escape(name: string): string {
  return name.replace(/\$/g, '\\$');
}

const MODIFIERS =
  '(?:export|public|private|protected|static|final|readonly|const|volatile|unsigned|signed|extern|inline|override|virtual|abstract|internal|pub|mut|declare)';
const NOT_A_TYPE = '(?!(?:return|throw|else|case|new|await|yield|delete|goto|echo|print|not|and|or|in|is|if|elif|while|for)\\b)';

/** The patterns by which a line declares `name`. */
function declaring(name: string): RegExp[] {
  const n = escape(name);
  return [
    new RegExp(`(?:^|[^\\w$.])(?:const|let|var|val|function\\*?|class|interface|type|enum|def|func|fn|struct|trait|typedef|macro|module|namespace|alias|record|object)\\s+(?:\\([^)]*\\)\\s*)?[*&]?${n}(?![\\w$])`),
    new RegExp(`^\\s*#\\s*define\\s+${n}(?![\\w$])`),
    new RegExp(`^\\s*(?:import|from|using|use|require|include|#include)\\b.*(?<![\\w$])${n}(?![\\w$])`),
    new RegExp(`(?:^|[^\\w$.])(?:const|let|var)\\s*[{[][^=]*(?<![\\w$])${n}(?![\\w$])[^=]*[}\\]]\\s*=`),
    new RegExp(`^\\s*(?:${MODIFIERS}\\s+)*(?:self\\.|this\\.)?${n}\\s*(?::[^=;]{1,80})?(?::=|=(?!=))`),
    new RegExp(
      `^\\s*(?:${MODIFIERS}\\s+)*${NOT_A_TYPE}[A-Za-z_][\\w.:]*(?:<[^;=()]{0,80}>)?(?:\\[\\])*[\\s*&]+${n}\\s*(?:=|;|\\(|\\[|,|\\)|$)`,
    ),
  ];
}

/**
 * New-side line numbers (1-based, ascending) of the first declaration of each name, at most `max`, leaving out
 * names whose declaration the reviewer already sees (`shown`).
 */
export function findDeclarations(lines: readonly string[], names: readonly string[], shown: ReadonlySet<number>, max: number): number[] {
  const found = new Set<number>();
  for (const name of names) {
    if (found.size >= max) break;
    const patterns = declaring(name);
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i]!;
      if (text.length > MAX_LINE || !text.includes(name)) continue;
      if (!patterns.some((p) => p.test(text))) continue;
      if (!shown.has(i + 1)) found.add(i + 1);
      break;
    }
  }
  return [...found].sort((a, b) => a - b);
}
