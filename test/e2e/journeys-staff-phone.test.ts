import { staffJourneys } from './journeys-staff.ts';

// the curator's, leader's and admin's journeys at 390×844 (journeys-staff.ts)
staffJourneys([390, 844]);
