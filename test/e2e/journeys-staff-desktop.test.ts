import { staffJourneys } from './journeys-staff.ts';

// the curator's, leader's and admin's journeys at 1280×800 (journeys-staff.ts)
staffJourneys([1280, 800]);
