import { profileTable, summarizeProfiles } from './lib/profile.js';
console.log(profileTable(summarizeProfiles(process.argv[2]!, 30)));
