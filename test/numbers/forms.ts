// The same numbers written the ways people store and dial them, per region: every form of a group must
// match every other form of it under `e164` with that region.
export const groups = {
  FR: ['+33 1 23 45 67 89', '0033123456789', '0123456789', '(01) 23-45-67-89', '+33123456789', '01.23.45.67.89'],
  GB: ['+44 20 7946 0958', '020 7946 0958', '00442079460958', '0044 20 7946 0958', '+442079460958'],
  US: ['+1 415 555 2671', '(415) 555-2671', '1-415-555-2671', '415.555.2671', '+14155552671'],
} as const;
export type Region = keyof typeof groups;
export const regions = Object.keys(groups) as Region[];
