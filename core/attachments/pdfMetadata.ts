import type { PDFObject, PDFRef } from 'pdf-lib';

import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef as PdfRefClass, PDFStream } from 'pdf-lib';

// What this removes, and why, is listed in removedMetadata.ts (PDF_REMOVED).
const METADATA = PDFName.of('Metadata');
const PIECE_INFO = PDFName.of('PieceInfo');
const SUBTYPE = PDFName.of('Subtype');
const WIDGET = PDFName.of('Widget');
const ANNOT_AUTHOR = PDFName.of('T');
const ANNOTS = PDFName.of('Annots');

export type PdfCleanOutcome =
  | { readonly status: 'cleaned'; readonly bytes: Uint8Array; readonly pages: number }
  | { readonly status: 'encrypted' };

function dictOf(object: PDFObject | undefined): PDFDict | undefined {
  if (object instanceof PDFDict) return object;
  if (object instanceof PDFStream) return object.dict;
  return undefined;
}

/** Every object reachable from `roots`, following references. */
function reachableRefs(doc: PDFDocument, roots: readonly (PDFObject | undefined)[]): Set<string> {
  const seen = new Set<string>();
  const pending: PDFObject[] = roots.filter((root) => root !== undefined);
  for (let object = pending.pop(); object !== undefined; object = pending.pop()) {
    if (object instanceof PdfRefClass) {
      const key = object.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      const target = doc.context.lookup(object);
      if (target !== undefined) pending.push(target);
    } else if (object instanceof PDFArray) {
      pending.push(...object.asArray());
    } else {
      const dict = dictOf(object);
      if (dict !== undefined) pending.push(...dict.entries().map(([, value]) => value));
    }
  }
  return seen;
}

function isCommentAnnotation(dict: PDFDict): boolean {
  const subtype = dict.get(SUBTYPE);
  return subtype instanceof PDFName && subtype !== WIDGET && dict.has(ANNOT_AUTHOR);
}

/** Removes the person-naming keys from every dictionary in the document. */
function stripDictionaries(doc: PDFDocument): void {
  const annotations = new Set<PDFDict>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = dictOf(object);
    if (dict === undefined) continue;
    dict.delete(METADATA);
    dict.delete(PIECE_INFO);
    const annots = dict.lookupMaybe(ANNOTS, PDFArray);
    for (const entry of annots?.asArray() ?? []) {
      const annotation = entry instanceof PdfRefClass ? doc.context.lookup(entry) : entry;
      if (annotation instanceof PDFDict) annotations.add(annotation);
    }
  }
  for (const annotation of annotations) {
    if (isCommentAnnotation(annotation)) annotation.delete(ANNOT_AUTHOR);
  }
}

/**
 * Cleans a PDF's metadata (see PDF_REMOVED). Throws whatever pdf-lib throws for a file it cannot
 * parse; the caller turns that into a coded error.
 */
export async function cleanPdf(bytes: Uint8Array): Promise<PdfCleanOutcome> {
  // updateMetadata: false, or pdf-lib would write its own Producer and dates into the file.
  // ignoreEncryption, so that an encrypted file is told apart by isEncrypted (pdf-lib's
  // EncryptedPDFError is compiled to ES5 and fails instanceof), then left alone.
  const doc = await PDFDocument.load(bytes, {
    updateMetadata: false,
    throwOnInvalidObject: true,
    ignoreEncryption: true,
  });
  if (doc.isEncrypted) return { status: 'encrypted' };
  const trailer = doc.context.trailerInfo;
  delete trailer.Info;
  delete trailer.ID;
  stripDictionaries(doc);
  const reachable = reachableRefs(doc, [trailer.Root]);
  const unreferenced: PDFRef[] = doc.context
    .enumerateIndirectObjects()
    .map(([ref]) => ref)
    .filter((ref) => !reachable.has(ref.toString()));
  for (const ref of unreferenced) doc.context.delete(ref);
  const cleaned = await doc.save({
    useObjectStreams: false,
    updateFieldAppearances: false,
    addDefaultPage: false,
  });
  return { status: 'cleaned', bytes: cleaned, pages: doc.getPageCount() };
}
