// A hand-made person case input for tests: the case rules of ./case-input.ts (I02 recorded the source, L1/L2 decide and
// approve), article 41's default table, and a planted person whose name and ID number a scan can look for.
import { idCheckCharacter, type InsuredPerson } from '../../domain/person-case';
import { DEFAULT_PERSON_PENALTY_TABLE } from '../../domain/person-penalty';
import type { PersonCaseInput } from '../../workflows/person-case/api';
import { personCaseRules } from '../../workflows/person-case/context';
import { AGENCIES, CASE_RULES, caseInput } from './case-input';

/** A valid ID number (GB 11643 check character) from 17 digits. */
export const idNumberOf = (first17: string): string => first17 + idCheckCharacter(first17);

export const PERSON: InsuredPerson = {
  name: '欧阳丽华',
  idNumber: idNumberOf('35010219800101123'),
  insuranceNo: 'YB35010012345',
  professional: false,
};

export function personCaseInput(caseNo: string, overrides: Partial<PersonCaseInput> = {}): PersonCaseInput {
  const { jurisdiction, responsibleUnit, leader, officers, approvers } = caseInput(caseNo);
  return {
    jurisdiction,
    caseNo,
    year: 2026,
    person: PERSON,
    source: { kind: 'clue', reference: 'JB-2026-0007', recordedBy: 'I02' },
    items: [{ category: '冒名就医', description: '使用他人医保凭证冒名就医购药', amountFen: 300_000 }],
    responsibleUnit,
    leader,
    officers,
    approvers,
    agencies: AGENCIES,
    rules: personCaseRules(CASE_RULES, DEFAULT_PERSON_PENALTY_TABLE),
    ...overrides,
  };
}
