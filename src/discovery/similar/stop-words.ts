/**
 * Words that carry no topic. The English list is the usual function words; the second list is
 * the boilerplate of abstracts ("we propose a novel method"), which is frequent in every field
 * and so says nothing about which field a paper is in.
 */
const ENGLISH = `a about above across after afterwards again against all almost alone along already also
although always am among amongst an and another any anyhow anyone anything anyway anywhere are
around as at be became because become becomes becoming been before beforehand behind being below
beside besides between beyond both but by can cannot could did do does doing done down due during
each eg either else elsewhere enough etc even ever every everyone everything everywhere except few
for former formerly from further had has have having he hence her here hereafter hereby herein
hers herself him himself his how however i ie if in indeed into is it its itself just last latter
latterly least less many may me meanwhile might mine more moreover most mostly much must my myself
namely neither never nevertheless next no nobody none noone nor not nothing now nowhere of off
often on once one only onto or other others otherwise our ours ourselves out over own per perhaps
rather re same several she should since so some somehow someone something sometime sometimes
somewhere still such than that the their theirs them themselves then thence there thereafter
thereby therefore therein thereupon these they this those though through throughout thru thus to
together too toward towards under until up upon us very via was we well were what whatever when
whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while
whither who whoever whole whom whose why will with within without would yet you your yours
yourself yourselves s t d ll m ve`;

const ACADEMIC = `paper papers propose proposed proposes present presents presented show shows shown
showed demonstrate demonstrates demonstrated introduce introduces introduced novel new approach
approaches method methods result results study studies studied work works based using use used
uses provide provides provided obtain obtained consider considered investigate investigated
paper's article letter also furthermore existing various different specific general given allow
allows able significantly significant compared compare comparison extensive experiments
experimental experiment achieve achieves achieved outperform outperforms state art recent
recently well known first second third two three four five one among however thus respectively
including include includes particular particularly main key important effective effectively
efficient efficiently find found finding findings discuss discussed`;

function words(list: string): string[] {
  return list.split(/\s+/).filter((w) => w.length > 0);
}

export const STOP_WORDS: ReadonlySet<string> = new Set([...words(ENGLISH), ...words(ACADEMIC)]);

/** Only the function words: what the arxiv-sanity-lite style baseline drops (scikit-learn's English list is of this kind). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(words(ENGLISH));
