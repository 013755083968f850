// Packing rendered pieces into review units under the token budget, in two passes. First every piece at the diff's
// own context (level 0), whole groups of related files first-fit into one unit where they fit (diff/locality.ts);
// then, unit by unit, each piece is raised to the next context level (diff/context.ts) while the unit still fits.
// Wider context is thus the first thing a tight unit gives up: it never costs an extra unit or a dropped line.

import { nodeBuiltin } from '../node-builtin.js';
import type { ContextLevel, DiffFile, ReviewUnit, UnitFile } from '../types.js';
import { contextView, TOP_LEVEL, topLevel } from './context.js';
import { renderFile, renderUnit } from './render.js';
import { costToTokens, tokenCost } from './tokens.js';

/** Costs in thousandths of a token (tokens.ts), which add up exactly across joined lines. */
export class Meter {
  readonly limit: number;
  readonly newline: number;

  constructor(
    budget: number,
    readonly model: string | undefined,
  ) {
    this.limit = Math.floor(budget) * 1000;
    this.newline = tokenCost('\n', model);
  }

  cost(text: string): number {
    return tokenCost(text, this.model);
  }
}

/** One file, or one part of a file, and the cost of its rendering (renderFile). */
export interface Piece {
  file: UnitFile;
  cost: number;
  /** The piece before it from the same file, which must sit in an earlier unit. */
  after?: Piece;
  /** A whole file with wider context to give: the file with its levels marked, and the level shown now. */
  widen?: { source: DiffFile; level: ContextLevel };
}

interface Packed {
  pieces: Piece[];
  /** Exact cost of the pieces joined by blank lines (costs add up across lines). */
  cost: number;
}

/** `groups` of related pieces, in order; a group that fits one unit is kept in one. */
export function pack(groups: Piece[][], meter: Meter): ReviewUnit[] {
  const units: Packed[] = [];
  const unitOf = new Map<Piece, number>();
  const separator = 2 * meter.newline;
  const place = (piece: Piece, index: number) => {
    const unit = units[index];
    if (unit === undefined) units.push({ pieces: [piece], cost: piece.cost });
    else {
      unit.pieces.push(piece);
      unit.cost += separator + piece.cost;
    }
    unitOf.set(piece, index);
  };
  for (const group of groups) {
    const together = group.reduce((sum, p) => sum + p.cost, 0) + separator * (group.length - 1);
    if (group.length > 1 && together <= meter.limit && group.every((p) => p.after === undefined)) {
      const index = units.findIndex((u) => u.cost + separator + together <= meter.limit);
      const at = index < 0 ? units.length : index;
      for (const piece of group) place(piece, at);
      continue;
    }
    for (const piece of group) {
      // First fit; the parts of a split file keep their order across units.
      const from = piece.after === undefined ? 0 : unitOf.get(piece.after)! + 1;
      const index = units.findIndex((u, i) => i >= from && u.cost + separator + piece.cost <= meter.limit);
      place(piece, index < 0 ? units.length : index);
    }
  }
  for (const unit of units) widenUnit(unit, meter);
  return units.map(toUnit);
}

/** Raises the unit's pieces one context level at a time, in order, as far as the budget allows. */
function widenUnit(unit: Packed, meter: Meter): void {
  for (let level = 1; level <= TOP_LEVEL; level++) {
    unit.pieces.forEach((piece, i) => {
      const widen = piece.widen;
      if (!widen || widen.level >= level || topLevel(widen.source) < level) return;
      const file: UnitFile = { ...piece.file, hunks: contextView(widen.source, level as ContextLevel) };
      const cost = meter.cost(renderFile(file));
      if (unit.cost - piece.cost + cost > meter.limit) return;
      unit.cost += cost - piece.cost;
      unit.pieces[i] = { ...piece, file, cost, widen: { source: widen.source, level: level as ContextLevel } };
    });
  }
}

/**
 * A unit's text is rendered again each time it is read, never kept: the texts of every unit of a large change,
 * held from the chunking to the last model answer, were as large as the change itself (bench case 8), and a unit
 * is read only when it is reviewed (review/run.ts reads it once).
 */
function toUnit(unit: Packed): ReviewUnit {
  const files = unit.pieces.map((p) => p.file);
  return {
    id: nodeBuiltin('node:crypto').createHash('sha256').update(renderUnit(files)).digest('hex').slice(0, 16),
    files,
    get text() {
      return renderUnit(files);
    },
    // Equal to estimateTokens(text, model): the cost was summed from the very pieces the text joins.
    tokens: costToTokens(unit.cost),
  };
}
