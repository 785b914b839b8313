/**
 * What cleaning a PDF removes (docs/attachments.md):
 * - the document information dictionary, whole: Author, Creator, Producer, Title, Subject,
 *   Keywords, dates and any custom keys (Title and Subject too: a scanned letter's title is often
 *   the patient's name);
 * - every XMP metadata stream (/Metadata, on the catalog, pages, images or fonts) and every
 *   /PieceInfo (an application's private data about the document);
 * - the author (/T) of comment annotations (form fields keep /T: there it is the field's name);
 * - the file identifier (/ID), which ties copies of one document together;
 * - every object nothing in the document refers to any more: earlier revisions left behind by
 *   incremental saves, which keep old metadata in the file.
 * The pages' text and images are left alone: a name printed on the page stays.
 */
export const PDF_REMOVED = [
  'info-dictionary',
  'xmp-metadata',
  'piece-info',
  'annotation-authors',
  'file-identifier',
  'unreferenced-objects',
] as const;

/** What re-encoding an image drops: sharp writes none of it unless told to keep it. */
export const IMAGE_REMOVED = [
  'exif',
  'gps',
  'xmp',
  'iptc',
  'icc-profile',
  'comments',
  'thumbnails',
] as const;
