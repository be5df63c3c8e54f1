// Official documents (公文) as Word files, laid out after GB/T 9704-2012 (党政机关公文格式): A4, the title in 2号小标宋
// centred, the body in 3号仿宋 with a two-character first-line indent and fixed 28 pt lines, the issuing authority at
// the right; several documents in one file each start on a new page. Fonts fall back where Word lacks them.
import { AlignmentType, convertMillimetersToTwip, Document, LineRuleType, Packer, Paragraph, TextRun } from 'docx';
import type { OfficialDocument } from '../domain/documents';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const TITLE_FONT = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const BODY_FONT = { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
/** Sizes in half-points: 2号 = 22 pt, 3号 = 16 pt. */
const TITLE_SIZE = 44;
const BODY_SIZE = 32;
/** Fixed line spacing in twentieths of a point (28 pt), and the first-line indent of two 3号 characters. */
const LINE = { line: 560, lineRule: LineRuleType.EXACT };
const INDENT = { firstLine: 640 };

function paragraphsOf(d: OfficialDocument, newPage: boolean): Paragraph[] {
  const body = (text: string, extra: ConstructorParameters<typeof Paragraph>[0] & object = {}) =>
    new Paragraph({ spacing: LINE, ...extra, children: [new TextRun({ text, font: BODY_FONT, size: BODY_SIZE })] });
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      pageBreakBefore: newPage,
      spacing: { ...LINE, line: 700, after: 560 },
      children: [new TextRun({ text: d.title, font: TITLE_FONT, size: TITLE_SIZE })],
    }),
    ...d.paragraphs.map((text) => body(text, { indent: INDENT, alignment: AlignmentType.JUSTIFIED })),
    body(''),
    body(d.signature, { alignment: AlignmentType.RIGHT, indent: { right: 1280 } }),
  ];
}

/** One .docx holding `documents`, each from a new page. */
export async function officialDocumentsDocx(documents: OfficialDocument[]): Promise<Buffer> {
  const doc = new Document({
    creator: 'jianguan',
    title: documents[0]?.title ?? '',
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
            },
          },
        },
        children: documents.flatMap((d, n) => paragraphsOf(d, n > 0)),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
