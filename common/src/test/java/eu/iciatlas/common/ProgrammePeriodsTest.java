package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgrammePeriodsTest {
  @Test
  void sevenYearsFromTwoThousandOn() {
    for (String p : new String[] {"2000-2006", "2007-2013", "2014-2020", "2021-2027", "2028-2034"}) {
      assertTrue(ProgrammePeriods.isPeriod(p), p);
    }
    for (String p : new String[] {"2014-2021", "2015-2021", "1993-1999", "2014", "2014-2020 ", "'2014-2020'", "", null}) {
      assertFalse(ProgrammePeriods.isPeriod(p), String.valueOf(p));
    }
  }

  @Test
  void aSpanFromTheDataHasThePeriodShapeWithoutBeingAProgrammePeriod() {
    assertTrue(ProgrammePeriods.hasPeriodShape("1994-1999"));
    assertFalse(ProgrammePeriods.isPeriod("1994-1999"));
    assertFalse(ProgrammePeriods.hasPeriodShape("2014-2020') OR (1 = 1"));
    assertFalse(ProgrammePeriods.hasPeriodShape(null));
  }
}
