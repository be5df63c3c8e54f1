import { describe, expect, it } from 'vitest';
import { documentOfText, documentText } from '../../domain/documents';

describe('official documents as text', () => {
  const doc = {
    title: '某局关于举报线索 JB-1 的处理报告',
    paragraphs: ['一、线索来源：本级受理。', '二、反映问题：挂床住院'],
    signature: '某局',
  };

  it('keeps the title first and the issuing authority last, the body between', () => {
    expect(documentText(doc)).toBe('某局关于举报线索 JB-1 的处理报告\n\n一、线索来源：本级受理。\n二、反映问题：挂床住院\n\n某局');
    expect(documentOfText(documentText(doc))).toEqual(doc);
  });

  it('reads a text without body or signature without inventing one', () => {
    expect(documentOfText('标题')).toEqual({ title: '标题', paragraphs: [], signature: '' });
    expect(documentOfText('')).toEqual({ title: '', paragraphs: [], signature: '' });
  });
});
