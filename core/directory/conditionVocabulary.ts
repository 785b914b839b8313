/**
 * The condition vocabulary: the tags a listing's `conditions` may use (docs/directory.md,
 * "Conditions"). It is part of the directory's format: ids are stable forever (a listing signed
 * today names `c:als` in five years), names and synonyms may grow. A listing may also name a
 * condition in free text (up to 60 characters) when the vocabulary lacks it; a search matches free
 * text as typed. Synonyms are what people search with: an abbreviation, another country's name,
 * an older or everyday name.
 */
export interface ConditionTerm {
  /** `c:` and lowercase words joined by hyphens. */
  readonly id: string;
  /** The English name shown. */
  readonly name: string;
  /** Other names a search finds it by. */
  readonly synonyms: readonly string[];
}

const term = (id: string, name: string, ...synonyms: string[]): ConditionTerm => ({
  id: `c:${id}`,
  name,
  synonyms,
});

export const CONDITION_VOCABULARY: readonly ConditionTerm[] = [
  // Cancers, rare and serious
  term('sarcoma', 'Sarcoma', 'soft tissue sarcoma', 'bone sarcoma'),
  term('osteosarcoma', 'Osteosarcoma', 'bone cancer'),
  term('ewing-sarcoma', 'Ewing sarcoma', 'Ewing’s sarcoma', 'Ewing family of tumours'),
  term('gist', 'Gastrointestinal stromal tumour', 'GIST', 'gastrointestinal stromal tumor'),
  term('mesothelioma', 'Mesothelioma', 'asbestos cancer', 'pleural mesothelioma'),
  term('glioblastoma', 'Glioblastoma', 'GBM', 'glioblastoma multiforme', 'brain tumour'),
  term('brain-tumour', 'Brain tumour', 'brain tumor', 'glioma', 'astrocytoma', 'brain cancer'),
  term('dipg', 'Diffuse midline glioma', 'DIPG', 'diffuse intrinsic pontine glioma'),
  term('neuroblastoma', 'Neuroblastoma', 'childhood cancer'),
  term('retinoblastoma', 'Retinoblastoma', 'eye cancer in children'),
  term('wilms-tumour', 'Wilms tumour', 'Wilms tumor', 'nephroblastoma'),
  term('pancreatic-cancer', 'Pancreatic cancer', 'pancreas cancer', 'PDAC'),
  term(
    'neuroendocrine-tumour',
    'Neuroendocrine tumour',
    'NET',
    'carcinoid',
    'neuroendocrine tumor',
  ),
  term('cholangiocarcinoma', 'Cholangiocarcinoma', 'bile duct cancer'),
  term('oesophageal-cancer', 'Oesophageal cancer', 'esophageal cancer', 'gullet cancer'),
  term('stomach-cancer', 'Stomach cancer', 'gastric cancer'),
  term('liver-cancer', 'Liver cancer', 'hepatocellular carcinoma', 'HCC'),
  term('ovarian-cancer', 'Ovarian cancer', 'ovary cancer'),
  term('cervical-cancer', 'Cervical cancer', 'cervix cancer'),
  term('breast-cancer', 'Breast cancer', 'metastatic breast cancer', 'secondary breast cancer'),
  term('male-breast-cancer', 'Breast cancer in men', 'male breast cancer'),
  term('bowel-cancer', 'Bowel cancer', 'colorectal cancer', 'colon cancer', 'rectal cancer'),
  term('lung-cancer', 'Lung cancer', 'NSCLC', 'SCLC', 'non-small cell lung cancer'),
  term(
    'head-and-neck-cancer',
    'Head and neck cancer',
    'throat cancer',
    'mouth cancer',
    'oral cancer',
  ),
  term('thyroid-cancer', 'Thyroid cancer', 'anaplastic thyroid cancer'),
  term('kidney-cancer', 'Kidney cancer', 'renal cell carcinoma', 'RCC'),
  term('bladder-cancer', 'Bladder cancer', 'urothelial cancer'),
  term('prostate-cancer', 'Prostate cancer', 'advanced prostate cancer'),
  term('testicular-cancer', 'Testicular cancer', 'germ cell tumour'),
  term('melanoma', 'Melanoma', 'skin cancer', 'uveal melanoma', 'ocular melanoma'),
  term('leukaemia', 'Leukaemia', 'leukemia', 'blood cancer'),
  term('aml', 'Acute myeloid leukaemia', 'AML', 'acute myeloid leukemia'),
  term('all', 'Acute lymphoblastic leukaemia', 'ALL', 'acute lymphoblastic leukemia'),
  term('cll', 'Chronic lymphocytic leukaemia', 'CLL', 'chronic lymphocytic leukemia'),
  term('cml', 'Chronic myeloid leukaemia', 'CML', 'chronic myeloid leukemia'),
  term('lymphoma', 'Lymphoma', 'non-Hodgkin lymphoma', 'NHL', 'blood cancer'),
  term('hodgkin-lymphoma', 'Hodgkin lymphoma', 'Hodgkin’s disease', 'Hodgkin disease'),
  term('myeloma', 'Myeloma', 'multiple myeloma', 'blood cancer'),
  term('mds', 'Myelodysplastic syndromes', 'MDS', 'myelodysplasia'),
  term('mpn', 'Myeloproliferative neoplasms', 'MPN', 'myelofibrosis', 'polycythaemia vera'),
  term('cancer-unknown-primary', 'Cancer of unknown primary', 'CUP', 'unknown primary'),
  term('childhood-cancer', 'Childhood cancer', 'paediatric cancer', 'pediatric cancer'),
  term(
    'teenage-young-adult-cancer',
    'Cancer in teenagers and young adults',
    'TYA cancer',
    'AYA cancer',
  ),
  // Neurological
  term(
    'als',
    'Amyotrophic lateral sclerosis',
    'ALS',
    'motor neurone disease',
    'MND',
    'motor neuron disease',
    'Lou Gehrig’s disease',
  ),
  term('huntingtons', 'Huntington’s disease', 'Huntington disease', 'HD', 'Huntington’s chorea'),
  term('multiple-sclerosis', 'Multiple sclerosis', 'MS'),
  term('parkinsons', 'Parkinson’s disease', 'Parkinson disease', 'PD'),
  term('psp', 'Progressive supranuclear palsy', 'PSP'),
  term('msa', 'Multiple system atrophy', 'MSA', 'Shy-Drager syndrome'),
  term(
    'early-onset-dementia',
    'Young-onset dementia',
    'early-onset dementia',
    'early-onset Alzheimer’s',
  ),
  term('ftd', 'Frontotemporal dementia', 'FTD', 'Pick’s disease'),
  term('cjd', 'Creutzfeldt–Jakob disease', 'CJD', 'prion disease'),
  term('sma', 'Spinal muscular atrophy', 'SMA'),
  term('duchenne', 'Duchenne muscular dystrophy', 'DMD', 'muscular dystrophy'),
  term('myasthenia-gravis', 'Myasthenia gravis', 'MG'),
  term('guillain-barre', 'Guillain–Barré syndrome', 'GBS', 'Guillain Barre'),
  term('friedreichs-ataxia', 'Friedreich’s ataxia', 'FA', 'ataxia'),
  term('rett-syndrome', 'Rett syndrome'),
  term('batten-disease', 'Batten disease', 'NCL', 'neuronal ceroid lipofuscinosis'),
  term('stroke', 'Stroke', 'brain haemorrhage', 'brain hemorrhage', 'brain attack'),
  term('acquired-brain-injury', 'Acquired brain injury', 'ABI', 'traumatic brain injury', 'TBI'),
  term('spinal-cord-injury', 'Spinal cord injury', 'SCI', 'paralysis'),
  term(
    'epilepsy-severe',
    'Severe epilepsy',
    'Dravet syndrome',
    'Lennox-Gastaut syndrome',
    'epilepsy',
  ),
  // Genetic, metabolic and other rare conditions
  term('cystic-fibrosis', 'Cystic fibrosis', 'CF'),
  term('sickle-cell', 'Sickle cell disease', 'sickle cell anaemia', 'sickle cell anemia', 'SCD'),
  term('thalassaemia', 'Thalassaemia', 'thalassemia'),
  term('haemophilia', 'Haemophilia', 'hemophilia', 'bleeding disorder'),
  term('marfan', 'Marfan syndrome'),
  term('ehlers-danlos', 'Ehlers–Danlos syndromes', 'EDS', 'hypermobile EDS'),
  term('nf1', 'Neurofibromatosis', 'NF1', 'NF2', 'von Recklinghausen disease'),
  term('tuberous-sclerosis', 'Tuberous sclerosis complex', 'TSC'),
  term('pku', 'Phenylketonuria', 'PKU'),
  term('mitochondrial-disease', 'Mitochondrial disease', 'mito', 'MELAS', 'Leigh syndrome'),
  term(
    'lysosomal-storage',
    'Lysosomal storage disorders',
    'Gaucher disease',
    'Fabry disease',
    'Pompe disease',
    'MPS',
  ),
  term('pulmonary-fibrosis', 'Idiopathic pulmonary fibrosis', 'IPF', 'lung fibrosis'),
  term('pulmonary-hypertension', 'Pulmonary hypertension', 'PH', 'PAH'),
  term('scleroderma', 'Systemic sclerosis', 'scleroderma'),
  term('lupus', 'Lupus', 'SLE', 'systemic lupus erythematosus'),
  term('vasculitis', 'Vasculitis', 'GPA', 'Wegener’s granulomatosis'),
  term('sarcoidosis', 'Sarcoidosis'),
  term('amyloidosis', 'Amyloidosis', 'AL amyloidosis', 'ATTR'),
  term('aplastic-anaemia', 'Aplastic anaemia', 'aplastic anemia', 'bone marrow failure'),
  term('pnh', 'Paroxysmal nocturnal haemoglobinuria', 'PNH'),
  term('congenital-heart-disease', 'Congenital heart disease', 'CHD', 'heart defect'),
  term('heart-failure', 'Heart failure', 'cardiomyopathy'),
  term('kidney-failure', 'Kidney failure', 'end-stage kidney disease', 'dialysis', 'renal failure'),
  term('liver-disease', 'Advanced liver disease', 'cirrhosis', 'liver failure', 'PSC', 'PBC'),
  term('transplant', 'Organ transplant', 'transplant recipients', 'waiting for a transplant'),
  term(
    'crohns-colitis',
    'Crohn’s disease and colitis',
    'IBD',
    'ulcerative colitis',
    'Crohn disease',
  ),
  term('me-cfs', 'ME/CFS', 'myalgic encephalomyelitis', 'chronic fatigue syndrome'),
  term('long-covid', 'Long COVID', 'post-COVID syndrome'),
  term('hiv', 'HIV', 'living with HIV', 'AIDS'),
  term('type-1-diabetes', 'Type 1 diabetes', 'T1D', 'juvenile diabetes'),
  term(
    'rare-undiagnosed',
    'Undiagnosed rare condition',
    'SWAN',
    'syndrome without a name',
    'undiagnosed',
  ),
  // Times of life the directory also lists
  term('terminal-illness', 'Terminal illness', 'palliative care', 'end of life', 'hospice'),
  term('bereavement', 'Bereavement', 'grief', 'loss', 'widowed'),
  term('baby-loss', 'Baby loss', 'miscarriage', 'stillbirth', 'neonatal death'),
  term('caring', 'Caring for someone', 'carer', 'caregiver', 'family carer'),
];

const BY_ID: ReadonlyMap<string, ConditionTerm> = new Map(
  CONDITION_VOCABULARY.map((condition) => [condition.id, condition]),
);

/** The vocabulary's term for `id`, or undefined (free text, or an id this version lacks). */
export function conditionTerm(id: string): ConditionTerm | undefined {
  return BY_ID.get(id);
}

/** What a listing's condition shows as: the vocabulary's name, else the text as written. */
export function conditionLabel(condition: string): string {
  return BY_ID.get(condition)?.name ?? condition;
}

/**
 * The vocabulary ids a person may mean by `text`: an id itself, or a name or synonym equal to it
 * ignoring case, accents and punctuation ("lou gehrigs disease" finds `c:als`).
 */
export function conditionIdsFor(text: string): string[] {
  if (BY_ID.has(text)) return [text];
  const wanted = foldCondition(text);
  if (wanted === '') return [];
  return CONDITION_VOCABULARY.filter((condition) =>
    [condition.name, ...condition.synonyms].some((name) => foldCondition(name) === wanted),
  ).map((condition) => condition.id);
}

/** Lowercase, without accents, apostrophes or punctuation, single-spaced. */
export function foldCondition(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
