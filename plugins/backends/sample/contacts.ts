// Deterministic synthetic contacts: contact i (1-based) is the same on every run and every machine.
import type { Fields } from '../../../src/contracts.js';

const FIRSTNAMES = ['Alice', 'Bruno', 'Chloe', 'David', 'Emma', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jules',
  'Kenza', 'Louis', 'Manon', 'Nael', 'Olga', 'Pablo', 'Quentin', 'Rosa', 'Samir', 'Tess'];
const LASTNAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier'];

/** Contact i's number: 555 then i on 7 digits, e.g. 5550000042. */
export function syntheticNumber(i: number): string {
  return `555${String(i).padStart(7, '0')}`;
}

export function syntheticContact(i: number): Fields {
  const slot = i - 1;
  return {
    id: String(i),
    firstname: FIRSTNAMES[slot % FIRSTNAMES.length],
    lastname: LASTNAMES[Math.floor(slot / FIRSTNAMES.length) % LASTNAMES.length],
    number: syntheticNumber(i),
    email: `contact${i}@example.com`,
  };
}

export function syntheticContacts(count: number): Fields[] {
  return Array.from({ length: count }, (_, slot) => syntheticContact(slot + 1));
}
