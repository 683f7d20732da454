import { arxivSubjectName } from '../../domain/arxiv-taxonomy.ts';

/**
 * arXiv's OAI `oai_dc` records name subjects in words (`Computer Science - Machine Learning`),
 * and stores made before subjects were imported as codes keep those words as categories, so
 * `cat:cs.LG` also looks for the name. Archives (`cat:math`) match by their code alone.
 */
export function categoryName(code: string): string | undefined {
  return code.includes('.') ? arxivSubjectName(code) : undefined;
}
